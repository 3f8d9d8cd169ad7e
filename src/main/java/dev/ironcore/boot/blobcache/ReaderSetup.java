package dev.ironcore.boot.blobcache;

import io.vertx.core.Context;
import java.util.function.LongConsumer;

/**
 * What a {@link BlobReader} needs besides its range.
 *
 * @param context where the reader's callbacks run (the request's event loop)
 * @param progress the file to read and how far it may be read
 * @param release called once when the reader closes: unpins the blob
 * @param served counts the bytes handed to the client
 */
record ReaderSetup(Context context, BlobProgress progress, Runnable release, LongConsumer served) {}
