package dev.ironcore.boot.index;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The informers of one namespaced kind: one over all namespaces, or one per watched namespace
 * ({@code boot.watch-namespaces}); lookups merge them, so callers never see the split.
 */
final class NamespacedInformers<T extends HasMetadata> {
  private final Class<T> kind;
  private final List<SharedIndexInformer<T>> informers;

  NamespacedInformers(Class<T> kind, MixedOperation<T, ?, ?> operation, List<String> namespaces, long resyncMillis) {
    this.kind = kind;
    this.informers = namespaces.isEmpty()
        ? List.of(operation.inAnyNamespace().runnableInformer(resyncMillis))
        : namespaces.stream().map(namespace -> operation.inNamespace(namespace).runnableInformer(resyncMillis))
            .toList();
  }

  Class<T> kind() {
    return kind;
  }

  List<SharedIndexInformer<T>> informers() {
    return informers;
  }

  void addIndexers(Map<String, Function<T, List<String>>> indexers) {
    informers.forEach(informer -> informer.addIndexers(indexers));
  }

  void addEventHandler(ResourceEventHandler<? super T> handler) {
    informers.forEach(informer -> informer.addEventHandler(handler));
  }

  /** The objects whose index {@code name} holds {@code key}, from every namespace watched. */
  List<T> byIndex(String name, String key) {
    if (informers.size() == 1) {
      return informers.get(0).getIndexer().byIndex(name, key);
    }
    List<T> found = new ArrayList<>();
    informers.forEach(informer -> found.addAll(informer.getIndexer().byIndex(name, key)));
    return found;
  }

  /** The object with key {@code namespace/name}; null when absent or in a namespace not watched. */
  T getByKey(String key) {
    for (SharedIndexInformer<T> informer : informers) {
      T object = informer.getStore().getByKey(key);
      if (object != null) {
        return object;
      }
    }
    return null;
  }

  List<T> list() {
    List<T> all = new ArrayList<>();
    informers.forEach(informer -> all.addAll(informer.getStore().list()));
    return all;
  }

  List<String> listKeys() {
    List<String> keys = new ArrayList<>();
    informers.forEach(informer -> keys.addAll(informer.getStore().listKeys()));
    return keys;
  }
}
