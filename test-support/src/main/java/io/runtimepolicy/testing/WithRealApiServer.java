package io.runtimepolicy.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Starts the pinned kube-apiserver and etcd (kube-api-test, offline) once for the test class, with
 * {@code cluster = Cluster.FULL} also the controllers, the scheduler and kwok's fake nodes, and
 * injects static fields: every {@code KubernetesClient} field gets a client, every {@code String}
 * field annotated {@link KubeConfigYaml} the kubeconfig, and with the bare API server every {@code
 * KubeAPIServer} field the server itself (for {@link ApiServerOutage}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RealApiServerExtension.class)
public @interface WithRealApiServer {
  /** Extra kube-apiserver flags, as flag and value pairs. */
  String[] apiServerFlags() default {};

  /** The bare API server, or the full cluster where pods, rollouts or deletion matter. */
  Cluster cluster() default Cluster.BARE;
}
