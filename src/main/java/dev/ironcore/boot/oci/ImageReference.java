package dev.ironcore.boot.oci;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A parsed image reference following the Docker grammar ({@code distribution/reference}):
 * {@code [domain[:port]/]path[:tag][@digest]}. A name without a domain is on Docker Hub (single
 * segments get {@code library/}); a reference with neither tag nor digest means {@code latest}.
 */
public final class ImageReference {
  public static final String DOCKER_HUB = "docker.io";
  public static final String DOCKER_HUB_REGISTRY = "registry-1.docker.io";
  private static final String DEFAULT_TAG = "latest";
  private static final int MAX_NAME_LENGTH = 255;

  private static final Pattern DOMAIN = Pattern.compile(
      "(?:(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9])(?:\\.(?:[a-z0-9]|[a-z0-9][a-z0-9-]*[a-z0-9]))*"
          + "|\\[[a-f0-9:]+\\])(?::[0-9]{1,5})?");
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

  private final String domain;
  private final String repository;
  private final String tag;
  private final String digest;

  private ImageReference(String domain, String repository, String tag, String digest) {
    this.domain = domain;
    this.repository = repository;
    this.tag = tag;
    this.digest = digest;
  }

  /** Parses a full reference; throws {@link InvalidImageReferenceException} naming the problem. */
  public static ImageReference parse(String reference) {
    if (reference == null || reference.isEmpty()) {
      throw new InvalidImageReferenceException("", "it is empty");
    }
    if (!reference.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new InvalidImageReferenceException(reference, "it contains whitespace, control or non-ASCII characters");
    }
    String name = reference;
    String digest = null;
    int at = reference.indexOf('@');
    if (at >= 0) {
      digest = checkedDigest(reference, reference.substring(at + 1));
      name = reference.substring(0, at);
    }
    String tag = null;
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      tag = name.substring(colon + 1);
      name = name.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        throw new InvalidImageReferenceException(reference,
            "tag \"" + tag + "\" must be 1-128 letters, digits, '_', '.' or '-', not starting with '.' or '-'");
      }
    }
    return named(reference, name, tag == null && digest == null ? DEFAULT_TAG : tag, digest);
  }

  /**
   * The reference the image proxy and the controllers receive as a name and a version, the version
   * being a tag or a {@code sha256:} digest.
   */
  public static ImageReference of(String name, String version) {
    Objects.requireNonNull(version, "version");
    return parse(name + (version.contains(":") ? "@" : ":") + version);
  }

  private static ImageReference named(String reference, String name, String tag, String digest) {
    String domain = DOCKER_HUB;
    String path = name;
    int slash = name.indexOf('/');
    if (slash > 0 && looksLikeDomain(name.substring(0, slash))) {
      domain = name.substring(0, slash).toLowerCase(Locale.ROOT);
      path = name.substring(slash + 1);
      if (!DOMAIN.matcher(domain).matches()) {
        throw new InvalidImageReferenceException(reference, "registry \"" + domain + "\" is not a valid host[:port]");
      }
    }
    if ("index.docker.io".equals(domain)) {
      domain = DOCKER_HUB;
    }
    if (DOCKER_HUB.equals(domain) && path.indexOf('/') < 0) {
      path = "library/" + path;
    }
    checkPath(reference, path);
    if (domain.length() + 1 + path.length() > MAX_NAME_LENGTH) {
      throw new InvalidImageReferenceException(reference, "the name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    return new ImageReference(domain, path, tag, digest);
  }

  /** As in Docker: the first segment is a registry when it has a dot or a port, or is localhost. */
  private static boolean looksLikeDomain(String segment) {
    return segment.contains(".") || segment.contains(":") || segment.equals("localhost");
  }

  private static void checkPath(String reference, String path) {
    for (String component : path.split("/", -1)) {
      if (PATH_COMPONENT.matcher(component).matches()) {
        continue;
      }
      String why = component.isEmpty() ? "the repository has an empty path segment"
          : !component.equals(component.toLowerCase(Locale.ROOT)) ? "the repository name must be lowercase"
          : "path segment \"" + component + "\" must be lowercase letters and digits separated by '.', '_', '__' or '-'";
      throw new InvalidImageReferenceException(reference, why);
    }
  }

  private static String checkedDigest(String reference, String digest) {
    if (!DIGEST.matcher(digest).matches()) {
      throw new InvalidImageReferenceException(reference,
          "digest \"" + digest + "\" must be sha256: followed by 64 lowercase hex digits");
    }
    return digest;
  }

  /** The registry as named in the reference ({@code docker.io} for Docker Hub), lower case. */
  public String domain() {
    return domain;
  }

  /** The host[:port] to talk to: Docker Hub's API lives on {@code registry-1.docker.io}. */
  public String registry() {
    return DOCKER_HUB.equals(domain) ? DOCKER_HUB_REGISTRY : domain;
  }

  /** The repository path on the registry, e.g. {@code ironcore-dev/os-images/gardenlinux}. */
  public String repository() {
    return repository;
  }

  public Optional<String> tag() {
    return Optional.ofNullable(tag);
  }

  public Optional<String> digest() {
    return Optional.ofNullable(digest);
  }

  /** What to ask the registry for: the digest when pinned (it wins over a tag), else the tag. */
  public String manifestReference() {
    return digest != null ? digest : tag;
  }

  /** The name without tag or digest, registry kept: {@code ghcr.io/ironcore-dev/os-images/gardenlinux}. */
  public String familiarName() {
    return domain + "/" + repository;
  }

  /** The same repository pinned to a manifest digest (no tag: the digest alone identifies it). */
  public ImageReference withDigest(String manifestDigest) {
    return new ImageReference(domain, repository, null, checkedDigest(manifestDigest, manifestDigest));
  }

  @Override
  public String toString() {
    return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageReference that && toString().equals(that.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
