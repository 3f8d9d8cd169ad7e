package dev.ironcore.boot.cli.bootctl;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** What a move will do: the objects to create, in order, and how many were already in the target. */
final class MovePlan {
  private final List<PlannedCreate> creates = new ArrayList<>();
  private final Set<String> secretsSeen = new HashSet<>();
  private int identical;

  void create(PlannedCreate create) {
    creates.add(create);
  }

  void skipIdentical() {
    identical++;
  }

  /** True the first time a Secret is named: one Secret shared by several configs is looked at once. */
  boolean firstMention(String namespace, String secretName) {
    return secretsSeen.add(namespace + "/" + secretName);
  }

  List<PlannedCreate> creates() {
    return List.copyOf(creates);
  }

  int identical() {
    return identical;
  }
}
