package dev.ironcore.boot.blobcache;

import io.vertx.core.Future;
import java.io.RandomAccessFile;

/**
 * A destination the kernel feeds straight from a file (sendfile): the bytes go from the page cache to
 * the socket without passing through the JVM. A plain-HTTP response has one; a TLS one does not (its
 * bytes must be encrypted in user space), and its reader reads the file in pieces instead.
 */
public interface FileSender {
  /**
   * Sends {@code length} bytes of {@code file} from {@code offset}, after everything written to the
   * destination before. Takes the file over: it is closed once sent or failed. Completes, on the
   * destination's context, once the socket took the last of them; fails when the client went away.
   */
  Future<Void> sendFile(RandomAccessFile file, long offset, long length);
}
