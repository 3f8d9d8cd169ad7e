package dev.ironcore.boot.blobcache;

import static dev.ironcore.boot.blobcache.TestBlobs.digestOf;
import static dev.ironcore.boot.blobcache.TestBlobs.randomBytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readers whose clients take file regions (plain HTTP: sendfile); {@link BlobCacheFileReadsTest}: ones that do not (TLS). */
class BlobCacheTest {
  /** Whether the clients take file regions. */
  boolean sendfile = true;
  private static final int MIB = 1024 * 1024;
  private static final Upstream UNREACHABLE = () -> Future.failedFuture("registry must not be asked on a hit");

  @TempDir
  Path root;
  private Vertx vertx;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    meters = new SimpleMeterRegistry();
  }

  @AfterEach
  void stopVertx() throws Exception {
    result(vertx.close());
  }

  @Test
  void concurrentRequestsShareOneDownloadAndGetVerifiedBytes() throws Exception {
    // Given a 3 MiB blob nobody has asked for yet, whose registry holds after its first MiB
    byte[] blob = randomBytes(3 * MIB, 1);
    FakeUpstream upstream = new FakeUpstream(blob).holdingAt(MIB);
    BlobCache cache = startedCache(64L * MIB, true);

    // When 20 clients ask while it downloads (all joined before the rest of the bytes come)
    List<Future<CollectingClient>> clients = IntStream.range(0, 20)
        .mapToObj(i -> download(cache, digestOf(blob), upstream, client())).toList();
    await().atMost(Duration.ofSeconds(5)).until(() -> counter("blob_cache_lookups", "result", "shared") == 19);
    upstream.release();

    // Then the registry sent it once, every client got exactly its bytes, and it is published
    for (Future<CollectingClient> client : clients) {
      assertThat(result(client).bytes()).isEqualTo(blob);
    }
    assertThat(upstream.fetches()).isEqualTo(1);
    assertThat(Files.readAllBytes(root.resolve("sha256").resolve(digestOf(blob).hex()))).isEqualTo(blob);
    awaitNoDownloadFiles();
    assertThat(counter("blob_cache_lookups", "result", "miss")).isEqualTo(1);
    assertThat(counter("blob_cache_lookups", "result", "shared")).isEqualTo(19);
    // every byte went by sendfile where the clients take file regions, else through the JVM
    assertThat(sentBy("sendfile")).isEqualTo(sendfile ? 20.0 * blob.length : 0);
    assertThat(sentBy("sendfile") + sentBy("memory") + sentBy("file-reads")).isEqualTo(20.0 * blob.length);
  }

  @Test
  void aCachedBlobIsServedWholeOrAsARangeWithoutAskingTheRegistry() throws Exception {
    byte[] blob = randomBytes(MIB + 7, 2);
    BlobCache cache = startedCache(64L * MIB, true);
    result(download(cache, digestOf(blob), new FakeUpstream(blob), client()));
    double byFileBefore = sentBy(sendfile ? "sendfile" : "file-reads");

    assertThat(result(download(cache, digestOf(blob), UNREACHABLE, client())).bytes()).isEqualTo(blob);
    CollectingClient range = result(readRange(cache, UNREACHABLE, blob, new long[] {100_000, 200_001}));
    assertThat(range.bytes()).isEqualTo(java.util.Arrays.copyOfRange(blob, 100_000, 300_001));
    assertThat(counter("blob_cache_lookups", "result", "hit")).isEqualTo(2);
    assertThat(counter("blob_cache_served_bytes", "source", "cache")).isEqualTo(blob.length + 200_001);
    // every byte of a hit from the file: by sendfile where the client takes file regions, else read
    assertThat(sentBy(sendfile ? "sendfile" : "file-reads") - byFileBefore).isEqualTo(blob.length + 200_001);
  }

  @Test
  void aReaderWaitingOnlyForTheVerificationDoesNotHoldTheDownload() throws Exception {
    // Given an 8 MiB blob (four times the memory window) nobody else is reading
    byte[] blob = randomBytes(8 * MIB, 12);
    BlobCache cache = startedCache(64L * MIB, true);

    // When its only reader wants one byte, held back until the whole blob is verified
    Future<CollectingClient> first = readRange(cache, new FakeUpstream(blob), blob, new long[] {0, 1});

    // Then the download, paced by nobody, completes and the reader gets its byte
    assertThat(result(first).bytes()).containsExactly(blob[0]);
  }

  @Test
  void bytesThatDoNotMatchTheDigestFailEveryReaderBeforeTheLastByteAndAreNotCached() throws Exception {
    byte[] blob = randomBytes(2 * MIB, 3);
    byte[] tampered = blob.clone();
    tampered[MIB] ^= 1;
    BlobCache cache = startedCache(64L * MIB, true);
    FakeUpstream upstream = new FakeUpstream(tampered).holdingAt(MIB / 2);
    List<CollectingClient> clients = IntStream.range(0, 5).mapToObj(i -> client()).toList();

    // (all five join the one download before the tampered byte arrives)
    List<Future<CollectingClient>> downloads = clients.stream()
        .map(client -> download(cache, digestOf(blob), upstream, client)).toList();
    await().atMost(Duration.ofSeconds(5)).until(() -> counter("blob_cache_lookups", "result", "shared") == 4);
    upstream.release();

    for (int i = 0; i < clients.size(); i++) {
      assertFailsWith(downloads.get(i), BlobVerificationException.class);
      assertThat(clients.get(i).bytes().length).isLessThan(blob.length);
      assertThat(clients.get(i).ended()).isFalse();
    }
    assertThat(upstream.fetches()).isEqualTo(1);
    assertThat(root.resolve("sha256").resolve(digestOf(blob).hex())).doesNotExist();
    awaitNoDownloadFiles();
    assertThat(counter("blob_cache_digest_mismatches")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.chunks().inUse() == 0);
  }

  @Test
  void anUpstreamThatBreaksMidStreamFailsReadersRemovesTheDownloadAndTheNextRequestFetchesAfresh() throws Exception {
    byte[] blob = randomBytes(2 * MIB, 4);
    BlobCache cache = startedCache(64L * MIB, true);
    CollectingClient first = client();

    assertFailsWith(download(cache, digestOf(blob), new FakeUpstream(blob).failingAt(MIB), first),
        java.io.IOException.class);
    assertThat(first.bytes().length).isLessThanOrEqualTo(MIB);
    awaitNoDownloadFiles();

    FakeUpstream healthy = new FakeUpstream(blob);
    assertThat(result(download(cache, digestOf(blob), healthy, client())).bytes()).isEqualTo(blob);
    assertThat(healthy.fetches()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.chunks().inUse() == 0);
  }

  @Test
  void aDownloadUnderWayWhenTheCacheClosesFailsItsReaderAndLeavesNothing() throws Exception {
    // Given a download held after its first MiB
    byte[] blob = randomBytes(4 * MIB, 13);
    BlobCache cache = startedCache(64L * MIB, true);
    FakeUpstream upstream = new FakeUpstream(blob).holdingAt(MIB);
    CollectingClient client = client();
    Future<CollectingClient> download = download(cache, digestOf(blob), upstream, client);
    await().atMost(Duration.ofSeconds(5)).until(() -> client.bytes().length > 0);

    // When the cache closes (the service stops) and the registry sends the rest
    cache.close();
    upstream.release();

    // Then the reader fails before the end instead of waiting forever, and nothing is published
    assertFailsWith(download, IllegalStateException.class);
    assertThat(client.ended()).isFalse();
    assertThat(blobFile(blob)).doesNotExist();
  }

  @Test
  void moreDownloadsThanItsThreadsAllCompleteOnThatManyThreads() throws Exception {
    // Given a cache with threads for 2 downloads, and 6 blobs whose registry holds each after its first MiB
    BlobCache cache = new BlobCache(vertx, new BlobCacheSettings(root, 64L * MIB, true, 4, 2), new BlobCacheMetrics(meters));
    result(cache.start());
    List<byte[]> blobs = IntStream.range(0, 6).mapToObj(i -> randomBytes(2 * MIB, 100 + i)).toList();
    List<FakeUpstream> upstreams = blobs.stream().map(blob -> new FakeUpstream(blob).holdingAt(MIB)).toList();

    // When all 6 download at once, two of them stuck until the registry goes on
    List<Future<CollectingClient>> clients = IntStream.range(0, 6).mapToObj(i -> download(cache,
        digestOf(blobs.get(i)), upstreams.get(i), client())).toList();
    await().atMost(Duration.ofSeconds(5)).until(() -> counter("blob_cache_lookups", "result", "miss") == 6);
    upstreams.forEach(FakeUpstream::release);

    // Then every client gets its blob, and there never were more than 2 download threads
    for (int i = 0; i < 6; i++) {
      assertThat(result(clients.get(i)).bytes()).isEqualTo(blobs.get(i));
    }
    assertThat(cache.largestDownloadThreads()).isEqualTo(2);
  }

  @Test
  void aBodyShorterThanAnnouncedIsNeverPublished() throws Exception {
    byte[] blob = randomBytes(MIB, 5);
    BlobCache cache = startedCache(64L * MIB, true);

    assertFailsWith(download(cache, digestOf(blob), new FakeUpstream(blob).announcing(blob.length + 1L),
        client()), BlobVerificationException.class);
    assertThat(root.resolve("sha256").resolve(digestOf(blob).hex())).doesNotExist();
  }

  @Test
  void evictsTheLeastRecentlyUsedBlobButNeverOneInUse() throws Exception {
    byte[] a = randomBytes(MIB, 6);
    byte[] b = randomBytes(MIB, 7);
    byte[] c = randomBytes(MIB, 8);
    byte[] d = randomBytes(MIB, 9);
    BlobCache cache = startedCache(2L * MIB + MIB / 2, true);
    result(download(cache, digestOf(a), new FakeUpstream(a), client()));
    result(download(cache, digestOf(b), new FakeUpstream(b), client()));
    result(download(cache, digestOf(a), UNREACHABLE, client())); // a is now the most recent

    result(download(cache, digestOf(c), new FakeUpstream(c), client()));
    awaitGone(b);
    assertThat(blobFile(a)).exists();
    assertThat(blobFile(c)).exists();

    // a is open (not yet read) while d arrives: c, not a, makes room, although a is older
    Blob openA = result(onContext(() -> cache.open(digestOf(a), UNREACHABLE)));
    result(download(cache, digestOf(d), new FakeUpstream(d), client()));
    awaitGone(c);
    assertThat(blobFile(a)).exists();
    openA.discard();
    assertThat(counter("blob_cache_evictions")).isEqualTo(2);
  }

  @Test
  void evictedBlobsAreDeletedWhileEveryWriterThreadIsBusy() throws Exception {
    // Given two cached blobs and a cache whose 4 writer threads are all taken (downloads hashing)
    byte[] a = randomBytes(MIB, 13);
    byte[] b = randomBytes(MIB, 14);
    BlobCache cache = startedCache(2L * MIB + MIB / 2, true);
    result(download(cache, digestOf(a), new FakeUpstream(a), client()));
    result(download(cache, digestOf(b), new FakeUpstream(b), client()));
    CountDownLatch writersHeld = new CountDownLatch(1);
    List<Future<Void>> busy = IntStream.range(0, 4).mapToObj(i -> cache.<Void>blocking(() -> {
      writersHeld.await();
      return null;
    })).toList();

    // When a new download makes room for itself
    assertThat(result(onContext(() -> Future.succeededFuture(cache.reserve(2L * MIB))))).isTrue();

    // Then both are deleted without waiting for a writer thread
    try {
      awaitGone(a);
      awaitGone(b);
    } finally {
      writersHeld.countDown();
    }
    for (Future<Void> held : busy) {
      result(held);
    }
    assertThat(counter("blob_cache_evictions")).isEqualTo(2);
  }

  @Test
  void aRestartKeepsVerifiedBlobsAndDownloadsOneChangedOnDiskAgain() throws Exception {
    byte[] intact = randomBytes(MIB, 10);
    byte[] changed = randomBytes(MIB, 11);
    BlobCache before = startedCache(64L * MIB, true);
    result(download(before, digestOf(intact), new FakeUpstream(intact), client()));
    result(download(before, digestOf(changed), new FakeUpstream(changed), client()));
    Files.write(blobFile(changed), randomBytes(MIB, 12));
    Files.write(root.resolve("tmp").resolve("leftover.1"), new byte[10]);

    BlobCache after = startedCache(64L * MIB, true);

    assertThat(root.resolve("tmp").resolve("leftover.1")).doesNotExist();
    assertThat(result(download(after, digestOf(intact), UNREACHABLE, client())).bytes()).isEqualTo(intact);
    FakeUpstream refetch = new FakeUpstream(changed);
    assertThat(result(download(after, digestOf(changed), refetch, client())).bytes()).isEqualTo(changed);
    assertThat(refetch.fetches()).isEqualTo(1);
    assertThat(Files.readAllBytes(blobFile(changed))).isEqualTo(changed);
    assertThat(counter("blob_cache_digest_mismatches")).isEqualTo(1);
  }

  @Test
  void withTheCacheOffEveryRequestStreamsThroughVerifiedAndNothingIsStored() throws Exception {
    byte[] blob = randomBytes(2 * MIB, 13);
    BlobCache cache = new BlobCache(vertx, new BlobCacheSettings(null, 0, false, 1, 16), new BlobCacheMetrics(meters));
    result(cache.start());
    FakeUpstream upstream = new FakeUpstream(blob);

    assertThat(result(download(cache, digestOf(blob), upstream, client())).bytes()).isEqualTo(blob);
    assertThat(result(readRange(cache, upstream, blob, new long[] {10, 20})).bytes())
        .isEqualTo(java.util.Arrays.copyOfRange(blob, 10, 30));
    assertThat(upstream.fetches()).isEqualTo(2);
    assertThat(root).isEmptyDirectory();

    byte[] tampered = blob.clone();
    tampered[blob.length - 1] ^= 1;
    CollectingClient client = client();
    assertFailsWith(download(cache, digestOf(blob), new FakeUpstream(tampered), client),
        BlobVerificationException.class);
    assertThat(client.bytes().length).isLessThan(blob.length);
  }

  @Test
  void withTheCacheOffAFewBytesOfABlobLargerThanItsMemoryAreServedOnceTheWholeIsVerified() throws Exception {
    // Given a blob streamed through that is twice the memory a streamed download may hold
    byte[] blob = randomBytes(2 * InflightFetch.STREAMED_WINDOW_CHUNKS * Chunk.BYTES + 3, 16);
    BlobCache cache = new BlobCache(vertx, new BlobCacheSettings(null, 0, false, 1, 16), new BlobCacheMetrics(meters));
    result(cache.start());

    // Then its first byte, some bytes and its last byte each arrive, once the whole blob was hashed
    for (long[] range : new long[][] {{0, 1}, {100, 200}, {blob.length - 1, 1}}) {
      int from = (int) range[0];
      assertThat(result(readRange(cache, new FakeUpstream(blob), blob, range)).bytes())
          .isEqualTo(java.util.Arrays.copyOfRange(blob, from, from + (int) range[1]));
    }
    assertThat(cache.chunks().inUse()).isZero();
  }

  @Test
  void aSlowClientHoldsBoundedMemory() throws Exception {
    byte[] blob = randomBytes(4 * MIB, 14);
    BlobCache cache = startedCache(64L * MIB, true);
    CollectingClient slow = client().slow();

    assertThat(result(download(cache, digestOf(blob), new FakeUpstream(blob), slow)).bytes()).isEqualTo(blob);
    assertThat(slow.maxQueued()).isLessThanOrEqualTo(CollectingClient.QUEUE_LIMIT + Chunk.BYTES);
  }

  @Test
  void clientsThatGoAwayLeaveNoOpenFiles() throws Exception {
    byte[] blob = randomBytes(4 * MIB, 15);
    BlobCache cache = startedCache(64L * MIB, true);
    result(download(cache, digestOf(randomBytes(16, 0)), new FakeUpstream(randomBytes(16, 0)), client()));
    long openBefore = openFiles();

    List<Future<CollectingClient>> aborted = IntStream.range(0, 20).mapToObj(i -> download(cache, digestOf(blob),
        new FakeUpstream(blob), client().disconnectingAfter(100_000))).toList();
    aborted.forEach(client -> assertFailsWith(client, java.io.IOException.class));
    await().atMost(Duration.ofSeconds(10)).until(() -> blobFile(blob).toFile().exists());
    List<Future<CollectingClient>> abortedHits = IntStream.range(0, 20).mapToObj(i -> download(cache, digestOf(blob),
        UNREACHABLE, client().disconnectingAfter(100_000))).toList();
    abortedHits.forEach(client -> assertFailsWith(client, java.io.IOException.class));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(openFiles()).isLessThanOrEqualTo(openBefore));
    assertThat(Files.readAllBytes(blobFile(blob))).isEqualTo(blob); // the download went on for the cache
    await().atMost(Duration.ofSeconds(5)).until(() -> cache.chunks().inUse() == 0); // and gave its memory back
  }

  @Test
  void aRequestJoiningADownloadStartedOnAnotherEventLoopGetsItsBlobAndBytesOnItsOwn() throws Exception {
    // Given a download started on one event loop, whose registry answers only after a second
    // request, on another event loop, joined it
    byte[] blob = randomBytes(2 * MIB, 14);
    BlobCache cache = startedCache(64L * MIB, true);
    Promise<UpstreamBlob> registryAnswer = Promise.promise();
    Context starter = newEventLoopContext();
    Context joiner = newEventLoopContext();
    Thread joinerThread = result(onContextOf(joiner, () -> Future.succeededFuture(Thread.currentThread())));
    assertThat(result(onContextOf(starter, () -> Future.succeededFuture(Thread.currentThread())))).isNotSameAs(joinerThread);
    onContextOf(starter, () -> cache.open(digestOf(blob), registryAnswer::future));
    await().atMost(Duration.ofSeconds(5)).until(() -> counter("blob_cache_lookups", "result", "miss") == 1);
    Set<Thread> openedOn = ConcurrentHashMap.newKeySet();
    CollectingClient client = client();
    Future<CollectingClient> joined = onContextOf(joiner, () -> cache.open(digestOf(blob), UNREACHABLE)
        .compose(opened -> {
          openedOn.add(Thread.currentThread());
          return opened.send(client, client.kernel(), 0, opened.size());
        }).map(client));
    await().atMost(Duration.ofSeconds(5)).until(() -> counter("blob_cache_lookups", "result", "shared") == 1);

    // When the registry answers on the first event loop
    onContextOf(starter, () -> new FakeUpstream(blob).fetch().onComplete(registryAnswer));

    // Then the joining request gets its blob, and every byte of it, on its own event loop (a
    // response written from another one can miss its drain and hang)
    assertThat(result(joined).bytes()).isEqualTo(blob);
    assertThat(openedOn).containsExactly(joinerThread);
    assertThat(client.writerThreads()).containsExactly(joinerThread);
  }

  @Test
  void whileTheCacheDiskFailsMissesAreServedStraightFromTheRegistryVerifiedAndCachedAgainOnceItWorks() throws Exception {
    // Given a started cache whose download directory has become unusable (a file where it was)
    byte[] blob = randomBytes(3 * MIB + 3, 13);
    FakeUpstream upstream = new FakeUpstream(blob);
    // (a bypass of 3 s: the two downloads below must fit in it even on a busy machine, where 500 ms did not)
    BlobCache cache = startedCache(64L * MIB, true, Duration.ofSeconds(3));
    Path downloads = root.resolve("tmp");
    Files.delete(downloads);
    Files.createFile(downloads);

    // When two clients, one after the other, ask for a blob it does not have
    CollectingClient first = result(download(cache, digestOf(blob), upstream, client()));
    CollectingClient second = result(download(cache, digestOf(blob), upstream, client()));

    // Then both get the exact blob from the registry: the first after its download failed to start,
    // the second without trying the disk again; the failure is counted once and nothing is cached
    assertThat(first.bytes()).isEqualTo(blob);
    assertThat(second.bytes()).isEqualTo(blob);
    assertThat(counter("blob_cache_disk_failures")).isEqualTo(1);
    assertThat(upstream.fetches()).isEqualTo(3);
    assertThat(counter("blob_cache_served_bytes", "source", "upstream")).isEqualTo(2.0 * blob.length);
    assertThat(blobFile(blob)).doesNotExist();

    // And once the disk works again and the bypass is over, a miss is cached as before
    Files.delete(downloads);
    Files.createDirectory(downloads);
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      assertThat(result(download(cache, digestOf(blob), upstream, client())).bytes()).isEqualTo(blob);
      assertThat(blobFile(blob)).exists();
    });
    assertThat(result(download(cache, digestOf(blob), UNREACHABLE, client())).bytes()).isEqualTo(blob);
    assertThat(counter("blob_cache_disk_failures")).isEqualTo(1);
  }

  // --- helpers

  private CollectingClient client() {
    CollectingClient client = new CollectingClient(vertx);
    return sendfile ? client.takingFileRegions() : client;
  }

  private BlobCache startedCache(long maxBytes, boolean enabled) throws Exception {
    return startedCache(maxBytes, enabled, BlobCache.DISK_RETRY_AFTER);
  }

  private BlobCache startedCache(long maxBytes, boolean enabled, Duration diskRetryAfter) throws Exception {
    BlobCache cache = new BlobCache(vertx, new BlobCacheSettings(root, maxBytes, enabled, 4, 16), new BlobCacheMetrics(meters),
        diskRetryAfter);
    result(cache.start());
    return cache;
  }

  /** Opens and sends the whole blob to {@code client} from an event loop, as a request handler would. */
  private Future<CollectingClient> download(BlobCache cache, BlobDigest digest, Upstream upstream, CollectingClient client) {
    return onContext(() -> cache.open(digest, upstream)
        .compose(blob -> blob.send(client, client.kernel(), 0, blob.size())).map(client));
  }

  private Future<CollectingClient> readRange(BlobCache cache, Upstream upstream, byte[] blob, long[] range) {
    CollectingClient client = client();
    long offset = range[0];
    long length = range[1];
    return onContext(() -> cache.open(digestOf(blob), upstream)
        .compose(opened -> opened.send(client, client.kernel(), offset, length)).map(client));
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    return onContextOf(vertx.getOrCreateContext(), work);
  }

  /** A context of its own (Vert.x keeps one per outside thread, and hands event loops out in turn). */
  private Context newEventLoopContext() throws InterruptedException {
    AtomicReference<Context> context = new AtomicReference<>();
    Thread outside = new Thread(() -> context.set(vertx.getOrCreateContext()));
    outside.start();
    outside.join();
    return context.get();
  }

  private static <T> Future<T> onContextOf(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(result));
    return result.future();
  }

  private static <T> T result(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void assertFailsWith(Future<?> future, Class<? extends Throwable> type) {
    assertThatThrownBy(() -> result(future)).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(type);
  }

  private Path blobFile(byte[] blob) {
    return root.resolve("sha256").resolve(digestOf(blob).hex());
  }

  private void awaitGone(byte[] blob) {
    await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(blobFile(blob)));
  }

  private void awaitNoDownloadFiles() {
    await().atMost(Duration.ofSeconds(5))
        .until(() -> Objects.requireNonNull(root.resolve("tmp").toFile().list()).length == 0);
  }

  private double sentBy(String feed) {
    return counter("blob_cache_sent_bytes", "feed", feed);
  }

  private double counter(String name, String... tags) {
    return meters.get(name).tags(tags).counter().count();
  }

  private static long openFiles() {
    return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
  }
}
