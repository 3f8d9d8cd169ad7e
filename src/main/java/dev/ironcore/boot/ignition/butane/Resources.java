package dev.ironcore.boot.ignition.butane;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Every place a config holds a resource (contents, append, config merge/replace, CAs, key files). */
final class Resources {

  /** A resource, the object or array that holds it, and the key it is held under there. */
  record Site(JsonNode holder, String key, ObjectNode resource, boolean isConfigReference) {}

  private Resources() {}

  static List<Site> all(ObjectNode config) {
    List<Site> sites = new ArrayList<>();
    JsonNode ignition = config.path("ignition");
    JsonNode configs = ignition.path("config");
    addList(sites, configs.get("merge"), true);
    add(sites, configs, "replace", true);
    addList(sites, ignition.path("security").path("tls").get("certificateAuthorities"), false);
    JsonNode storage = config.path("storage");
    for (ObjectNode file : Json.objects(storage, "files")) {
      add(sites, file, "contents", false);
      addList(sites, file.get("append"), false);
    }
    for (ObjectNode luks : Json.objects(storage, "luks")) {
      add(sites, luks, "keyFile", false);
    }
    return sites;
  }

  private static void add(List<Site> sites, JsonNode holder, String key, boolean isConfig) {
    if (holder.get(key) instanceof ObjectNode resource) {
      sites.add(new Site(holder, key, resource, isConfig));
    }
  }

  private static void addList(List<Site> sites, JsonNode list, boolean isConfig) {
    if (list != null && list.isArray()) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof ObjectNode resource) {
          sites.add(new Site(list, Integer.toString(i), resource, isConfig));
        }
      }
    }
  }
}
