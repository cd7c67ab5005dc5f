package io.runtimepolicy.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The Nodes kwok simulates. Every address they and their pods report is in 127.0.0.0/8: node i has
 * InternalIP 127.0.0.(10+i) and pod CIDR 127.1.(1+i).0/24, so nothing in the cluster ever names an
 * address off this machine.
 */
public final class FakeNodes {

  /** The label kwok is told to manage nodes by (its own convention). */
  public static final String LABEL = "type";

  public static final String LABEL_VALUE = "kwok";

  /** Pod IPs of a node without its own CIDR; kwok's {@code --cidr}. */
  static final String DEFAULT_POD_CIDR = "127.1.0.0/24";

  /** The address kwok reports for a node without one; kwok's {@code --node-ip}. */
  static final String DEFAULT_NODE_IP = "127.0.0.1";

  private static final Map<String, Quantity> CAPACITY =
      Map.of(
          "cpu", new Quantity("32"), "memory", new Quantity("256Gi"), "pods", new Quantity("110"));

  private FakeNodes() {}

  public static String name(int index) {
    return "kwok-node-" + index;
  }

  static List<Node> definitions(int count) {
    return IntStream.range(0, count).mapToObj(FakeNodes::definition).toList();
  }

  private static Node definition(int index) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name(index))
        .addToLabels(LABEL, LABEL_VALUE)
        .addToLabels("kubernetes.io/hostname", name(index))
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/arch", "amd64")
        .addToAnnotations("kwok.x-k8s.io/node", "fake")
        .endMetadata()
        .withNewSpec()
        .withPodCIDR("127.1." + (1 + index) + ".0/24")
        .withPodCIDRs("127.1." + (1 + index) + ".0/24")
        .endSpec()
        .withNewStatus()
        // Both, or kwok's node-initialize stage writes an address list of its own (and with only
        // one of them present, an empty one).
        .addNewAddress()
        .withType("InternalIP")
        .withAddress("127.0.0." + (10 + index))
        .endAddress()
        .addNewAddress()
        .withType("Hostname")
        .withAddress(name(index))
        .endAddress()
        .withCapacity(CAPACITY)
        .withAllocatable(CAPACITY)
        .endStatus()
        .build();
  }

  static void create(KubernetesClient client, int count) {
    for (Node node : definitions(count)) {
      client.nodes().resource(node).create();
    }
  }

  static boolean ready(Node node) {
    return node.getStatus() != null
        && node.getStatus().getConditions() != null
        && node.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Until every fake node is Ready; {@code stillRunning} is checked on each poll so a crashed kwok
   * fails at once, naming its log, instead of at the deadline. A plain deadline loop, not
   * Awaitility: this also runs outside tests (make run-local), where Awaitility is not on the class
   * path.
   */
  static void awaitReady(
      KubernetesClient client, int count, Duration within, Runnable stillRunning) {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      stillRunning.run();
      List<Node> nodes = client.nodes().withLabel(LABEL, LABEL_VALUE).list().getItems();
      if (nodes.size() == count && nodes.stream().allMatch(FakeNodes::ready)) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            count + " fake nodes not Ready within " + within + "; kwok's log says why");
      }
      try {
        Thread.sleep(100); // the poll interval
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the fake nodes", e);
      }
    }
  }
}
