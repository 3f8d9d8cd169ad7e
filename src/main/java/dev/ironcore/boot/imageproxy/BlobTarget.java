package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobDigest;
import dev.ironcore.boot.oci.ImageReference;

/**
 * The blob a request names, resolved and allowed, with the {@code Content-Type} to answer with.
 *
 * @param referenced a boot config references it (always false with {@code boot.image-proxy-scope=allowed-registries},
 *     which does not look)
 */
record BlobTarget(ImageReference image, BlobDigest digest, String contentType, boolean referenced) {}
