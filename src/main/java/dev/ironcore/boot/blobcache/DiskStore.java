package dev.ironcore.boot.blobcache;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cache's files. Blocking: called on worker threads only. Publishing and deleting a blob take
 * one lock, so a delete of an evicted blob can never remove a fresh copy published meanwhile.
 *
 * <p>Downloads are written through the page cache, not around it: the clients behind a download are
 * fed from its file by sendfile, which then reads memory, not the disk, and the blob is still there
 * for the next machine when the download ends (rack-bench, bench/README.md: direct writes, which left
 * the file on disk only, made every sendfile reader wait for the disk, cold 350 MB/s against 510-590).
 */
final class DiskStore {
  /** A blob found on disk at start-up. */
  record StoredBlob(String hex, long size) {}

  private static final Pattern HEX_NAME = Pattern.compile("[0-9a-f]{64}");
  private final BlobCacheSettings settings;
  private final AtomicLong downloadNumber = new AtomicLong();
  private final Object publishOrDelete = new Object();

  DiskStore(BlobCacheSettings settings) {
    this.settings = settings;
  }

  Path blobPath(String hex) {
    return settings.blobs().resolve(hex);
  }

  Path newDownloadPath(String hex) {
    return settings.downloads().resolve(hex + "." + downloadNumber.incrementAndGet());
  }

  /** A new download file, open for appending. */
  FileChannel openDownload(Path download) throws IOException {
    return FileChannel.open(download, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
  }

  /** Removes unfinished downloads and lists published blobs, least recently written first. */
  List<StoredBlob> recover() throws IOException {
    Files.createDirectories(settings.blobs());
    Files.createDirectories(settings.downloads());
    try (Stream<Path> downloads = Files.list(settings.downloads())) {
      for (Path unfinished : downloads.toList()) {
        Files.deleteIfExists(unfinished);
      }
    }
    try (Stream<Path> blobs = Files.list(settings.blobs())) {
      return blobs.filter(path -> HEX_NAME.matcher(path.getFileName().toString()).matches())
          .map(path -> new Found(path, attributes(path)))
          .filter(found -> found.attributes().isRegularFile())
          .sorted(Comparator.comparing(found -> found.attributes().lastModifiedTime()))
          .map(found -> new StoredBlob(found.path().getFileName().toString(), found.attributes().size()))
          .toList();
    }
  }

  private record Found(Path path, BasicFileAttributes attributes) {}

  private static BasicFileAttributes attributes(Path path) {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Moves a verified download into place and records it, atomically with respect to deletes. */
  void publish(Path download, String hex, Runnable record) throws IOException {
    synchronized (publishOrDelete) {
      Files.move(download, blobPath(hex), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      record.run();
    }
  }

  /** Deletes a blob's file unless {@code stillWanted} says it was published again since eviction. */
  void deleteBlob(String hex, BooleanSupplier stillWanted) throws IOException {
    synchronized (publishOrDelete) {
      if (!stillWanted.getAsBoolean()) {
        Files.deleteIfExists(blobPath(hex));
      }
    }
  }

  void deleteDownload(Path download) throws IOException {
    Files.deleteIfExists(download);
  }

  /** Hashes a stored blob again (after a restart): true when it is exactly its digest's bytes. */
  boolean verifyStored(BlobDigest digest, long size) throws IOException {
    DigestVerifier verifier = new DigestVerifier(digest);
    byte[] chunk = new byte[Chunk.BYTES];
    try (InputStream in = Files.newInputStream(blobPath(digest.hex()))) {
      for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
        verifier.update(chunk, 0, read);
      }
    }
    return verifier.bytes() == size && verifier.matches();
  }
}
