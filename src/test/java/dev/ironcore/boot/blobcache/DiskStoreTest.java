package dev.ironcore.boot.blobcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStoreTest {
  @TempDir Path root;

  @Test
  void downloadsBypassThePageCacheWhereTheFileSystemTakesDirectWrites() throws Exception {
    DiskStore store = new DiskStore(new BlobCacheSettings(root, 1 << 30, true, 1, 16));
    store.recover();

    DiskStore.DownloadFile download = store.openDownload(store.newDownloadPath("ab".repeat(32)));
    try (download) {
      // The test's file system (ext4 or tmpfs on Linux) takes O_DIRECT: writes must be whole blocks
      assertThat(download.blockSize()).isEqualTo(Files.getFileStore(root).getBlockSize()).isGreaterThan(1);
      assertThatThrownBy(() -> download.channel().write(ByteBuffer.allocateDirect(1)))
          .isInstanceOf(IOException.class).hasMessageContaining("block size");
    }
    // and the probe leaves nothing behind
    try (var leftovers = Files.list(root.resolve("tmp"))) {
      assertThat(leftovers).hasSize(1);
    }
  }
}
