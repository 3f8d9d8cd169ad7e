package dev.ironcore.boot.oci;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Resolves an image reference to the layers of the manifest for one architecture. Manifests are
 * cached by digest (content-addressed, so forever, within a bound); a tag is asked for again at
 * most once per {@link RegistrySettings#tagTtl()}, and concurrent resolutions of one tag share one
 * request: a rack of SBCs naming the same image costs one manifest fetch.
 */
public class ManifestResolver {
  private final RegistryClient client;
  private final Clock clock;
  private final Duration tagTtl;
  private final ExpiringCache<String, String> tagDigests;
  private final ExpiringCache<String, FetchedManifest> manifests;
  private final Map<String, CompletableFuture<FetchedManifest>> inFlight = new ConcurrentHashMap<>();

  public ManifestResolver(RegistryClient client, RegistrySettings settings, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.tagTtl = settings.tagTtl();
    this.tagDigests = new ExpiringCache<>(settings.cacheSize(), clock);
    this.manifests = new ExpiringCache<>(settings.cacheSize(), clock);
  }

  /** The image's manifest for the architecture; an index or manifest list is narrowed by {@link IndexSelection}. */
  public CompletionStage<ResolvedImage> resolve(ImageReference image, String architecture, BootMethod method) {
    return topLevel(image).thenCompose(top -> {
      ManifestDocument document = ManifestDocument.parse(top);
      if (!document.isIndex()) {
        return CompletableFuture.completedFuture(new ResolvedImage(image, top.digest(), document.layers()));
      }
      Descriptor entry = IndexSelection.select(document.entries(), architecture, method);
      return byDigest(image, Optional.of(entry), entry.digest()).thenApply(manifest -> {
        ManifestDocument platform = ManifestDocument.parse(manifest);
        if (platform.isIndex()) {
          throw new RegistryException(RegistryException.Kind.BAD_RESPONSE,
              "index entry " + entry.digest() + " of " + image + " is itself an index");
        }
        return new ResolvedImage(image, manifest.digest(), platform.layers());
      });
    });
  }

  private CompletableFuture<FetchedManifest> topLevel(ImageReference image) {
    if (image.digest().isPresent()) {
      return byDigest(image, Optional.empty(), image.digest().get());
    }
    String tagKey = image.toString();
    return shared(tagKey, () -> tagDigests.get(tagKey).flatMap(manifests::get),
        () -> client.fetchManifest(image, ManifestDocument.ACCEPTED),
        manifest -> tagDigests.put(tagKey, manifest.digest(), clock.instant().plus(tagTtl)));
  }

  private CompletableFuture<FetchedManifest> byDigest(ImageReference image, Optional<Descriptor> expected, String digest) {
    ImageReference pinned = image.withDigest(digest);
    return shared(digest, () -> manifests.get(digest), () -> expected.isPresent()
        ? client.fetchManifest(pinned, expected.get(), ManifestDocument.ACCEPTED)
        : client.fetchManifest(pinned, ManifestDocument.ACCEPTED), manifest -> { });
  }

  /**
   * The cached answer, else one request per tag or digest at a time; whoever asks meanwhile waits
   * for the same answer. The cache is looked at again once this caller owns the request: a request
   * that ended just before would otherwise be made a second time.
   */
  private CompletableFuture<FetchedManifest> shared(String key, Supplier<Optional<FetchedManifest>> cached,
      Supplier<CompletionStage<FetchedManifest>> fetch, Consumer<FetchedManifest> remember) {
    Optional<FetchedManifest> known = cached.get();
    if (known.isPresent()) {
      return CompletableFuture.completedFuture(known.get());
    }
    CompletableFuture<FetchedManifest> mine = new CompletableFuture<>();
    CompletableFuture<FetchedManifest> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    known = cached.get();
    if (known.isPresent()) {
      inFlight.remove(key, mine);
      mine.complete(known.get());
      return mine;
    }
    fetch.get().whenComplete((manifest, error) -> {
      if (error == null) {
        manifests.putForever(manifest.digest(), manifest);
        remember.accept(manifest);
      }
      inFlight.remove(key, mine);
      if (error != null) {
        mine.completeExceptionally(error);
      } else {
        mine.complete(manifest);
      }
    });
    return mine;
  }
}
