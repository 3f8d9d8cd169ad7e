package dev.ironcore.boot.oci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves an image reference to the layers of the manifest for one architecture. Manifests are
 * cached by digest (content-addressed, so forever, within a bound); a tag is asked for again at
 * most once per {@link RegistrySettings#tagTtl()}, and concurrent resolutions of one tag share one
 * request: a rack of SBCs naming the same image costs one manifest fetch.
 *
 * <p>When the registry cannot answer for a tag (unreachable, timing out, a 5xx, an untrusted
 * certificate), the manifest it last gave for that tag is used, while that answer is not older than
 * {@link RegistrySettings#staleTagMaxAge()}: a registry outage does not stop machines booting from
 * layers already cached. A definite answer (the tag is gone, access refused, not allowed) is obeyed.
 * Either way the registry is asked again after the tag TTL, not on every request.
 */
public class ManifestResolver {
  private static final Logger LOG = LoggerFactory.getLogger(ManifestResolver.class);
  /** Registry answers that say something about the tag: never replaced by an older one. */
  private static final Set<RegistryException.Kind> DEFINITE = EnumSet.of(RegistryException.Kind.NOT_FOUND,
      RegistryException.Kind.AUTH_FAILED, RegistryException.Kind.NOT_ALLOWED);

  /** A tag's digest as the registry last gave it, and when. */
  private record KnownTag(String digest, Instant fetchedAt) {}

  private final RegistryClient client;
  private final Clock clock;
  private final Duration tagTtl;
  private final Duration staleTagMaxAge;
  private final ExpiringCache<String, String> tagDigests;
  private final ExpiringCache<String, KnownTag> lastKnownTags;
  private final ExpiringCache<String, FetchedManifest> manifests;
  private final Map<String, CompletableFuture<FetchedManifest>> inFlight = new ConcurrentHashMap<>();
  private final LongAdder staleAnswers = new LongAdder();

  public ManifestResolver(RegistryClient client, RegistrySettings settings, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.tagTtl = settings.tagTtl();
    this.staleTagMaxAge = settings.staleTagMaxAge();
    this.tagDigests = new ExpiringCache<>(settings.cacheSize(), clock);
    this.lastKnownTags = new ExpiringCache<>(settings.cacheSize(), clock);
    this.manifests = new ExpiringCache<>(settings.cacheSize(), clock);
  }

  /** Tag resolutions answered with the registry's last answer because it could not give a new one. */
  public long staleAnswers() {
    return staleAnswers.sum();
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
    return shared(tagKey, () -> tagDigests.get(tagKey).flatMap(manifests::get), () -> fetchTag(image, tagKey),
        manifest -> tagDigests.put(tagKey, manifest.digest(), clock.instant().plus(tagTtl)));
  }

  /** The tag's manifest from the registry or, when it cannot answer, its last answer while young enough. */
  private CompletionStage<FetchedManifest> fetchTag(ImageReference image, String tagKey) {
    return client.fetchManifest(image, ManifestDocument.ACCEPTED).handle((manifest, error) -> {
      Instant now = clock.instant();
      if (error == null) {
        lastKnownTags.put(tagKey, new KnownTag(manifest.digest(), now), now.plus(staleTagMaxAge));
        return manifest;
      }
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      if (!(cause instanceof RegistryException failure)) {
        throw new CompletionException(cause);
      }
      if (DEFINITE.contains(failure.kind())) {
        lastKnownTags.remove(tagKey); // a tag that is gone must not come back with a later outage
        throw new CompletionException(cause);
      }
      Optional<KnownTag> known = lastKnownTags.get(tagKey);
      Optional<FetchedManifest> stale = known.flatMap(tag -> manifests.get(tag.digest()));
      if (stale.isEmpty()) {
        throw new CompletionException(cause);
      }
      staleAnswers.increment();
      LOG.warn("{}: no new answer from the registry ({}); using the manifest it gave {} s ago, {}, for the next {} s"
          + " (boot.registry-stale-tag-max-age {} s)", image, failure.getMessage(),
          Duration.between(known.get().fetchedAt(), now).toSeconds(), stale.get().digest(), tagTtl.toSeconds(),
          staleTagMaxAge.toSeconds());
      return stale.get();
    });
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
