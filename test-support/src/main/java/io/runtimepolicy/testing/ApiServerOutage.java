package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Takes kube-api-test's kube-apiserver down and brings it back with the very same command line: the
 * same port, certificates and etcd, which stays up, so clients reconnect to what they knew.
 * kube-api-test offers no such thing, so this reaches into it; it fails loudly if its fields move.
 */
public final class ApiServerOutage implements AutoCloseable {

  private final Object processHolder;
  private final List<String> command;
  private final Path log;
  private Process restarted;

  private ApiServerOutage(Object processHolder, List<String> command, Path log) {
    this.processHolder = processHolder;
    this.command = command;
    this.log = log;
  }

  /** Stops the API server of {@code server} (SIGTERM, then waits); etcd keeps running. */
  public static ApiServerOutage begin(KubeAPIServer server, Path log) {
    Object holder = KubeApiTestInternals.processHolder(server);
    Process process = KubeApiTestInternals.apiServerProcess(server);
    List<String> command = new ArrayList<>();
    command.add(process.info().command().orElseThrow());
    command.addAll(List.of(process.info().arguments().orElseThrow()));
    // kube-api-test treats an exit it did not ask for as a crash of the whole server.
    KubeApiTestInternals.setField(holder, "stopped", true);
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new ApiServerOutage(holder, command, log);
  }

  /**
   * Whether nothing accepts connections on the API server's port: the outage has really begun (or
   * not yet ended). The port is the one on the command line the restart reuses.
   */
  public boolean refusing() {
    int port = Integer.parseInt(command.get(command.indexOf("--secure-port") + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** Starts the same command again; the caller waits for readiness through its own client. */
  public void end() {
    try {
      File out = log.toFile();
      restarted =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
              .start();
      KubeApiTestInternals.setField(processHolder, "apiServerProcess", restarted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (restarted != null && restarted.isAlive()) {
      restarted.destroy();
    }
  }
}
