package dev.ironcore.boot.blobcache;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 over a blob as it streams by, compared with the digest it was asked for. */
public final class DigestVerifier {
  private final BlobDigest expected;
  private final MessageDigest sha256;
  private long bytes;

  public DigestVerifier(BlobDigest expected) {
    this.expected = expected;
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public void update(ByteBuffer chunk) {
    bytes += chunk.remaining();
    sha256.update(chunk);
  }

  public void update(byte[] chunk, int offset, int length) {
    sha256.update(chunk, offset, length);
    bytes += length;
  }

  public long bytes() {
    return bytes;
  }

  /** Ends the hash: true when the bytes seen so far are exactly the expected blob. */
  public boolean matches() {
    return MessageDigest.isEqual(HexFormat.of().formatHex(sha256.digest()).getBytes(), expected.hex().getBytes());
  }
}
