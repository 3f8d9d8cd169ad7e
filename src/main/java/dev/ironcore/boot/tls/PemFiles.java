package dev.ironcore.boot.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The bytes of the certificate and key files, read at one moment. Reading follows symbolic links, so
 * a Secret volume whose {@code ..data} link was swapped to a new directory is read anew.
 */
record PemFiles(Path certificateFile, Path keyFile, byte[] certificate, byte[] key) {
  /** Far above any certificate chain or key; a larger file is not one. */
  private static final long MAX_BYTES = 1 << 20;

  static PemFiles read(Path certificateFile, Path keyFile) throws IOException {
    return new PemFiles(certificateFile, keyFile, readBounded(certificateFile), readBounded(keyFile));
  }

  /** True when the files hold the same bytes as {@code other}'s. */
  boolean sameContent(PemFiles other) {
    return other != null && Arrays.equals(certificate, other.certificate) && Arrays.equals(key, other.key);
  }

  /** How an error names the pair: both paths, never their content. */
  String names() {
    return "certificate " + certificateFile + " and key " + keyFile;
  }

  private static byte[] readBounded(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(file + " has " + size + " bytes, more than a PEM certificate chain or key can have");
    }
    return Files.readAllBytes(file);
  }
}
