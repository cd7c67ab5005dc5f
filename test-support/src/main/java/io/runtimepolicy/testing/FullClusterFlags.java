package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command lines of {@link FullCluster}'s processes. Every serving port is bound to loopback or
 * not opened at all; every flag name is from the pinned binaries' own --help.
 */
final class FullClusterFlags {

  static final List<String> API_SERVER =
      List.of(
          "--bind-address",
          "127.0.0.1",
          "--advertise-address",
          "127.0.0.1",
          // Endpoints may not hold loopback addresses, so the API server could not publish its own
          // and would retry forever; without the reconciler there is no kubernetes Endpoints,
          // which only in-cluster clients would read and none runs here.
          "--endpoint-reconciler-type",
          "none",
          // A string slice: kube-api-test's own "ServiceAccount" is added to it, not replacing it.
          // Without this a new Node keeps the not-ready taint, which only the node-lifecycle
          // controller (not run here: it would evict pods of nodes slow to heartbeat) removes.
          "--disable-admission-plugins",
          "TaintNodesByCondition");

  private static final List<String> CONTROLLERS =
      List.of(
          "deployment-controller",
          "replicaset-controller",
          "statefulset-controller",
          "daemonset-controller",
          "job-controller",
          "cronjob-controller",
          "garbage-collector-controller",
          "namespace-controller",
          "serviceaccount-controller",
          "serviceaccount-token-controller");

  private FullClusterFlags() {}

  // kube-api-test signs service-account tokens with its serving key and serves with that
  // self-signed certificate (--service-account-signing-key-file, --cert-dir): the token
  // controller signs with the same key and hands out that certificate as the root CA.
  static List<String> controllerManager(Path kubeconfig) {
    Path certDir = ControlPlane.baseDir();
    return List.of(
        "--kubeconfig=" + kubeconfig,
        "--controllers=" + String.join(",", CONTROLLERS),
        "--secure-port=0",
        "--leader-elect=false",
        "--service-account-private-key-file=" + certDir.resolve("apiserver.key"),
        "--root-ca-file=" + certDir.resolve("apiserver.crt"));
  }

  static List<String> scheduler(Path kubeconfig, Path workDir) throws IOException {
    Path config =
        Files.writeString(
            workDir.resolve("kube-scheduler.yaml"),
            String.join(
                "\n",
                "apiVersion: kubescheduler.config.k8s.io/v1",
                "kind: KubeSchedulerConfiguration",
                "clientConnection:",
                "  kubeconfig: " + kubeconfig,
                "leaderElection:",
                "  leaderElect: false",
                ""));
    return List.of("--config=" + config, "--secure-port=0");
  }

  /** The project's own stages, beside kwok's, as resources of this package. */
  static final List<String> OWN_KWOK_STAGES = List.of("kwok/pod-resources.yaml");

  // No --node-port and no --server-address: kwok serves nothing (no logs, exec or port-forward).
  static List<String> kwok(Path kubeconfig, Path workDir) throws IOException {
    List<Path> stages = new ArrayList<>(ControlPlane.kwokStages());
    for (String stage : OWN_KWOK_STAGES) {
      try (InputStream in = FullClusterFlags.class.getResourceAsStream(stage)) {
        if (in == null) {
          throw new IllegalStateException("kwok stage " + stage + " is not on the class path");
        }
        Path file = workDir.resolve("kwok-" + Path.of(stage).getFileName());
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        stages.add(file);
      }
    }
    return List.of(
        "--kubeconfig=" + kubeconfig,
        "--config=" + stages.stream().map(Path::toString).collect(Collectors.joining(",")),
        "--manage-nodes-with-label-selector=" + FakeNodes.LABEL + "=" + FakeNodes.LABEL_VALUE,
        "--node-ip=" + FakeNodes.DEFAULT_NODE_IP,
        "--cidr=" + FakeNodes.DEFAULT_POD_CIDR);
  }
}
