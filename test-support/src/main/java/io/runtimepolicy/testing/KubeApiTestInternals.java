package io.runtimepolicy.testing;

import io.fabric8.kubeapitest.KubeAPIServer;
import java.lang.reflect.Field;

/**
 * The one place that reaches into kube-api-test 7.5.2's private fields: its API server process, to
 * stop and restart it ({@link ApiServerOutage}) or to read the etcd it was started against ({@link
 * Etcd}). The library offers neither; a version that renames the fields fails here with one clear
 * message.
 */
final class KubeApiTestInternals {

  private KubeApiTestInternals() {}

  /** The object that holds the API server process (its {@code apiServerProcess} field). */
  static Object processHolder(KubeAPIServer server) {
    return field(server, "kubeApiServerProcess");
  }

  /** The running kube-apiserver process. */
  static Process apiServerProcess(KubeAPIServer server) {
    return (Process) field(processHolder(server), "apiServerProcess");
  }

  static Object field(Object target, String name) {
    try {
      Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      return field.get(target);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: no field " + name, e);
    }
  }

  static void setField(Object target, String name, Object value) {
    try {
      Field field = target.getClass().getDeclaredField(name);
      field.setAccessible(true);
      field.set(target, value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("kube-api-test changed: no field " + name, e);
    }
  }
}
