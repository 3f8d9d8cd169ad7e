package dev.ironcore.boot.blobcache;

/** Every blob cache test again with clients that take only buffers (a TLS response): readers read the file. */
class BlobCacheFileReadsTest extends BlobCacheTest {
  BlobCacheFileReadsTest() {
    sendfile = false;
  }
}
