package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A call to a pod's {@code resize} subresource, as {@code kubectl patch pod --subresource resize}
 * makes it. fabric8 7.5 has no DSL for this subresource, so it goes through the client's own HTTP
 * client (same credentials and TLS) and hands back what the API server answered, warnings included.
 */
public final class PodResize {

  /** What the API server answered: its status code, body and {@code Warning} headers. */
  public record Answer(int code, String body, List<String> warnings) {
    public boolean ok() {
      return code >= 200 && code < 300;
    }
  }

  private PodResize() {}

  /** A strategic merge patch of the pod's {@code resize} subresource, e.g. new CPU limits. */
  public static Answer patch(
      KubernetesClient client, String namespace, String pod, String strategicMergePatch) {
    String url =
        client.getMasterUrl().toString().replaceAll("/$", "")
            + "/api/v1/namespaces/"
            + namespace
            + "/pods/"
            + pod
            + "/resize";
    HttpRequest request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(url)
            .method("PATCH", "application/strategic-merge-patch+json", strategicMergePatch)
            .build();
    try {
      HttpResponse<String> response =
          client.getHttpClient().sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
      List<String> warnings = response.headers("Warning");
      return new Answer(response.code(), response.body(), warnings == null ? List.of() : warnings);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted resizing " + namespace + "/" + pod, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("resizing " + namespace + "/" + pod + " failed", e);
    }
  }

  /**
   * Whether the API server accepts a resize of {@code pod} yet: it runs and every container reports
   * its resources (kwok's pod-resources stage writes them just after the pod turns Running; before
   * that the API server answers "Pod running on node without support for resize").
   */
  public static boolean resizable(Pod pod) {
    if (pod == null || pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    var statuses = pod.getStatus().getContainerStatuses();
    return statuses != null
        && statuses.size() == pod.getSpec().getContainers().size()
        && statuses.stream().allMatch(s -> s.getResources() != null);
  }

  /** The patch that sets one container's CPU request and limit. */
  public static String cpu(String container, String request, String limit) {
    return "{\"spec\":{\"containers\":[{\"name\":\""
        + container
        + "\",\"resources\":{\"requests\":{\"cpu\":\""
        + request
        + "\"},\"limits\":{\"cpu\":\""
        + limit
        + "\"}}}]}}";
  }
}
