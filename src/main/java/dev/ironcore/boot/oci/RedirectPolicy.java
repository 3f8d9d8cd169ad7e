package dev.ironcore.boot.oci;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How we follow a registry's redirect ourselves (clients never see one): at most {@link
 * #MAX_REDIRECTS}, only to http or https, and without credentials once the redirect leaves the
 * host:port it came from or downgrades https to http (a presigned CDN URL needs none; a stranger
 * must get none). Pure, so the blob streamer applies exactly the same rule.
 */
public final class RedirectPolicy {
  public static final int MAX_REDIRECTS = 10;
  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);
  private static final Set<String> CREDENTIAL_HEADERS = Set.of("authorization", "cookie", "proxy-authorization");

  private RedirectPolicy() {}

  /** Where to go next and with which headers. */
  public record Redirect(URI uri, Map<String, String> headers) {}

  public static boolean isRedirect(int status) {
    return REDIRECT_STATUSES.contains(status);
  }

  /** The failure once {@code last} redirected the {@link #MAX_REDIRECTS}th time. */
  public static RegistryException tooMany(URI last) {
    return new RegistryException(RegistryException.Kind.BAD_RESPONSE,
        "more than " + MAX_REDIRECTS + " redirects from " + last.getHost(), "redirected more than " + MAX_REDIRECTS + " times");
  }

  /**
   * The request to make after {@code current} answered with {@code location}.
   *
   * @param headers the headers {@code current} was requested with
   * @throws RegistryException BAD_RESPONSE for a missing, malformed or non-http(s) location
   */
  public static Redirect next(URI current, Map<String, String> headers, String location) {
    URI target = resolve(current, location);
    boolean keepCredentials = sameOrigin(current, target)
        && !(current.getScheme().equalsIgnoreCase("https") && target.getScheme().equalsIgnoreCase("http"));
    Map<String, String> kept = new LinkedHashMap<>();
    headers.forEach((name, value) -> {
      if (keepCredentials || !CREDENTIAL_HEADERS.contains(name.toLowerCase())) {
        kept.put(name, value);
      }
    });
    return new Redirect(target, kept);
  }

  private static URI resolve(URI current, String location) {
    if (location == null || location.isBlank()) {
      throw badRedirect(current, "without a Location header", null);
    }
    URI target;
    try {
      target = current.resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw badRedirect(current, "to a malformed location " + location, e);
    }
    String scheme = target.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https")) || target.getHost() == null) {
      throw badRedirect(current, "to " + location + ", which is not an http(s) URL", null);
    }
    return target;
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
  }

  private static int port(URI uri) {
    return uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  private static RegistryException badRedirect(URI current, String what, Throwable cause) {
    return new RegistryException(RegistryException.Kind.BAD_RESPONSE,
        "registry redirected " + current.getHost() + " " + what, "sent a redirect that is not to an http(s) URL", cause);
  }
}
