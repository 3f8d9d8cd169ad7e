package dev.ironcore.boot.ignition.butane;

/** Butane's snake_case keys as Ignition's camelCase keys: size_mib -> sizeMiB, type_guid -> typeGuid. */
final class JsonNames {

  private JsonNames() {}

  static String camelCase(String snakeCase) {
    String[] words = snakeCase.split("_");
    StringBuilder camel = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      camel.append(words[i].equals("mib") ? "MiB" : capitalize(words[i]));
    }
    return camel.toString();
  }

  private static String capitalize(String word) {
    return word.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }
}
