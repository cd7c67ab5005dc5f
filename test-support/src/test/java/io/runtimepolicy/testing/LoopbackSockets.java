package io.runtimepolicy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets of this JVM and its child processes (the control plane), read from /proc: what
 * {@code ss -tanp} shows for them, without depending on ss being installed.
 */
final class LoopbackSockets {

  private static final String LISTEN = "0A";

  /** One socket: the process that holds it, both ends, and whether it only listens. */
  record Socket(
      String process, InetAddress local, int localPort, InetAddress remote, boolean listening) {
    @Override
    public String toString() {
      return process
          + " "
          + local.getHostAddress()
          + ":"
          + localPort
          + (listening ? " LISTEN" : " -> " + remote.getHostAddress());
    }
  }

  private LoopbackSockets() {}

  static List<Socket> ofThisJvmAndItsChildren() {
    Map<String, String> processByInode = new HashMap<>();
    Stream.concat(Stream.of(ProcessHandle.current()), ProcessHandle.current().children())
        .forEach(p -> socketInodes(p.pid()).forEach(i -> processByInode.put(i, name(p))));
    List<Socket> sockets = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      for (String line : lines(Path.of(table))) {
        String[] f = line.trim().split("\\s+");
        String process = processByInode.get(f[9]);
        if (process != null) {
          String[] local = f[1].split(":");
          String[] remote = f[2].split(":");
          sockets.add(
              new Socket(
                  process,
                  address(local[0]),
                  Integer.parseInt(local[1], 16),
                  address(remote[0]),
                  LISTEN.equals(f[3])));
        }
      }
    }
    return sockets;
  }

  private static String name(ProcessHandle process) {
    String command = process.info().command().orElse("pid " + process.pid());
    return command.substring(command.lastIndexOf('/') + 1);
  }

  private static List<String> socketInodes(long pid) {
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.map(LoopbackSockets::linkTarget)
          .filter(t -> t.startsWith("socket:["))
          .map(t -> t.substring("socket:[".length(), t.length() - 1))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String linkTarget(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> lines(Path table) {
    try {
      List<String> lines = Files.readAllLines(table);
      return lines.subList(1, lines.size());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // /proc/net/tcp{,6} print each 32-bit word of the address in host (little-endian) order.
  private static InetAddress address(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int b = 0; b < 4; b++) {
        int at = (word * 4 + 3 - b) * 2;
        bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(hex, e);
    }
  }

  static boolean loopbackOrWildcard(InetAddress address) {
    return address.isLoopbackAddress() || address.isAnyLocalAddress();
  }
}
