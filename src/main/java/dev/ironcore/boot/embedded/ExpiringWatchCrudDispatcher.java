package dev.ironcore.boot.embedded;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.net.URI;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * fabric8's CRUD dispatcher, except that a watch resumed from before a deletion expires (410 Gone).
 * The mock keeps no event history: a watch, from whatever resourceVersion, starts with every current
 * object as ADDED. That brings an informer whose watch dropped up to date on creations and changes,
 * but a deletion it missed would stay in its cache for good. A real API server replays the deletion
 * or, when its watch cache no longer reaches back that far, answers 410 Gone and the informer lists
 * again; this does the latter whenever something was deleted after the version the watch resumes from.
 */
public class ExpiringWatchCrudDispatcher extends KubernetesCrudDispatcher {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final long EXPIRY_DELAY_MILLIS = 50;

  /** A resourceVersion taken just after the latest deletion (the mock does not count deletions). */
  private volatile long lastDeletion;

  public ExpiringWatchCrudDispatcher() {
    super(List.of());
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (newState == null) {
      lastDeletion = requestResourceVersion();
    }
  }

  @Override
  public MockResponse handleWatch(String path) {
    OptionalLong from = resourceVersionOf(path);
    long deletion = lastDeletion;
    if (from.isPresent() && from.getAsLong() > 0 && from.getAsLong() < deletion) {
      return expired("too old resource version: " + from.getAsLong() + " (" + deletion + ")");
    }
    return super.handleWatch(path);
  }

  /**
   * As the API server says it: the upgrade succeeds, then one ERROR event with a 410 Status, then
   * close. The event follows the upgrade by a moment: sent at once, it could overtake the client's
   * own set-up of the watch, and fabric8's blocking {@code watch()} then waited forever (seen once in
   * ~25 runs of the suite).
   */
  private static MockResponse expired(String message) {
    Status status = new StatusBuilder().withStatus("Failure").withCode(410).withReason("Expired")
        .withMessage(message).build();
    String event = JSON.asJson(new WatchEvent(status, "ERROR"));
    return new MockResponse().withWebSocketUpgrade(new WebSocketListener() {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        CompletableFuture.delayedExecutor(EXPIRY_DELAY_MILLIS, TimeUnit.MILLISECONDS).execute(() -> {
          webSocket.send(event);
          webSocket.close(1000, message);
        });
      }
    });
  }

  static OptionalLong resourceVersionOf(String path) {
    String query = URI.create(path).getRawQuery();
    if (query == null) {
      return OptionalLong.empty();
    }
    for (String parameter : query.split("&")) {
      if (parameter.startsWith("resourceVersion=")) {
        try {
          return OptionalLong.of(Long.parseLong(parameter.substring("resourceVersion=".length())));
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }
}
