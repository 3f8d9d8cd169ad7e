package dev.ironcore.boot.imageproxy;

import dev.ironcore.boot.blobcache.BlobDigest;
import dev.ironcore.boot.web.HttpStatusException;
import dev.ironcore.boot.web.NotFoundException;
import dev.ironcore.boot.web.RequestPath;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One blob request in any of the three forms of COMPAT §5, validated before any registry is asked.
 * Bad input is a 404 with a reason (as in the Go original), an oversized query a 414.
 *
 * @param imageName the image reference as given (registry, repository, maybe tag), parsed by {@code oci}
 * @param version tag or manifest digest; null for {@code /httpboot/<image>/sha256-<hex>.efi}
 * @param layerDigest the layer to send; null when it is chosen by media type
 * @param layerMediaType part of the media type of the layer to send; null when the digest is given
 */
public record BlobRequest(String imageName, String version, BlobDigest layerDigest, String layerMediaType) {
  public static final int MAX_QUERY_LENGTH = 2048;
  private static final String HTTPBOOT_PREFIX = "/httpboot/";
  private static final String EFI_SUFFIX = ".efi";
  private static final Pattern IMAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,511}");
  private static final Pattern VERSION = Pattern.compile(
      "[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|[a-z0-9]+([.+_-][a-z0-9]+)*:[A-Za-z0-9=_-]{32,256}");
  private static final Pattern MEDIA_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9!#$&^_.+/-]{0,254}");

  /** True when the manifest of {@link #version} must be read to find the layer by media type. */
  public boolean selectsLayerByMediaType() {
    return layerDigest == null;
  }

  /** {@code /image?imageName=&version=&layerDigest=} or {@code …&layerName=}; the query still percent-encoded. */
  public static BlobRequest fromImageQuery(String rawQuery) {
    if (rawQuery != null && rawQuery.length() > MAX_QUERY_LENGTH) {
      throw new HttpStatusException(414, "URI Too Long: query longer than " + MAX_QUERY_LENGTH + " characters");
    }
    Map<String, String> query = QueryParameters.decode(rawQuery);
    String imageName = imageName(withoutEfiSuffix(required(query, "imageName")));
    String version = required(query, "version");
    if (!VERSION.matcher(version).matches()) {
      throw new NotFoundException("Not Found: malformed version");
    }
    String digest = query.get("layerDigest");
    if (digest != null) {
      return new BlobRequest(imageName, version, layerDigest(digest), null);
    }
    String mediaType = required(query, "layerDigest", query.get("layerName"));
    if (!MEDIA_TYPE.matcher(mediaType).matches()) {
      throw new NotFoundException("Not Found: malformed layerName");
    }
    return new BlobRequest(imageName, version, null, mediaType);
  }

  /** {@code /httpboot/<image path>/sha256-<hex>.efi}, the path as received, decoded here once ({@link RequestPath}). */
  public static BlobRequest fromHttpBootPath(String rawPath) {
    if (rawPath == null || !rawPath.startsWith(HTTPBOOT_PREFIX)) {
      throw new NotFoundException("Not Found: not an image path");
    }
    String path = RequestPath.decodeOnce(rawPath).substring(HTTPBOOT_PREFIX.length());
    int lastSlash = path.lastIndexOf('/');
    String fileName = path.substring(lastSlash + 1);
    if (lastSlash <= 0 || !fileName.startsWith("sha256-") || !fileName.endsWith(EFI_SUFFIX)) {
      throw new NotFoundException("Not Found: expected /httpboot/<image>/sha256-<hex>.efi");
    }
    String digest = "sha256:" + fileName.substring("sha256-".length(), fileName.length() - EFI_SUFFIX.length());
    return new BlobRequest(imageName(path.substring(0, lastSlash)), null, layerDigest(digest), null);
  }

  private static String required(Map<String, String> query, String name) {
    return required(query, name, query.get(name));
  }

  /** Go answers every missing parameter with 404, so do we; the reason names the parameter. */
  private static String required(Map<String, String> query, String name, String value) {
    if (value == null || value.isEmpty()) {
      throw new NotFoundException("Not Found: missing " + name);
    }
    return value;
  }

  private static String withoutEfiSuffix(String imageName) {
    return imageName.endsWith(EFI_SUFFIX) ? imageName.substring(0, imageName.length() - EFI_SUFFIX.length()) : imageName;
  }

  /** Only reference characters, and no empty or dot segments that could climb a registry's URL path. */
  private static String imageName(String imageName) {
    if (!IMAGE_NAME.matcher(imageName).matches()) {
      throw new NotFoundException("Not Found: malformed image name");
    }
    for (String segment : imageName.split("/", -1)) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        throw new NotFoundException("Not Found: malformed image name");
      }
    }
    return imageName;
  }

  private static BlobDigest layerDigest(String digest) {
    BlobDigest parsed = BlobDigest.parseOrNull(digest);
    if (parsed == null) {
      throw new NotFoundException("Not Found: malformed layer digest (expected sha256:<64 lower-case hex>)");
    }
    return parsed;
  }

  /** A query string decoded once; a parameter given twice is refused rather than guessed at. */
  private static final class QueryParameters {
    static Map<String, String> decode(String rawQuery) {
      Map<String, String> parameters = new HashMap<>();
      if (rawQuery == null || rawQuery.isEmpty()) {
        return parameters;
      }
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int equals = pair.indexOf('=');
        String name = decodeComponent(equals < 0 ? pair : pair.substring(0, equals));
        String value = equals < 0 ? "" : decodeComponent(pair.substring(equals + 1));
        if (parameters.putIfAbsent(name, value) != null) {
          throw new HttpStatusException(400, "Bad Request: parameter " + name + " given more than once");
        }
      }
      return parameters;
    }

    private static String decodeComponent(String raw) {
      try {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformedEscape) {
        throw new NotFoundException("Not Found: malformed percent-encoding in the query");
      }
    }
  }
}
