package io.runtimepolicy.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.runtimepolicy.api.v1alpha1.RuntimePolicy;
import io.runtimepolicy.api.v1alpha1.RuntimePolicyStatus;
import io.runtimepolicy.operator.policy.PolicySettings;
import io.runtimepolicy.operator.policy.WorkloadEvaluator;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Watches one namespace and notes the instant every one of {@code expected} Deployments carries the
 * flags the operator's own engine computes (and, with a policy name, that policy's status counts
 * are exact: targets = tuned = expected, for the current generation). The same observer times the
 * operator and the plain loop, so both pay the same watch.
 */
final class ConvergenceObserver implements AutoCloseable {

  private final int expected;
  private final boolean needsStatus;
  private final Set<String> seen = ConcurrentHashMap.newKeySet();
  private final Set<String> converged = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Long> done = new CompletableFuture<>();
  private volatile boolean statusExact;
  private volatile String lastStatus = "none";
  private SharedIndexInformer<Deployment> deployments;
  private SharedIndexInformer<RuntimePolicy> policies;

  private ConvergenceObserver(int expected, boolean needsStatus) {
    this.expected = expected;
    this.needsStatus = needsStatus;
  }

  /** {@code policy} null: only the flags count (the plain loop writes no status). */
  static ConvergenceObserver start(
      KubernetesClient client, String namespace, int expected, String policy) {
    ConvergenceObserver observer = new ConvergenceObserver(expected, policy != null);
    observer.deployments =
        client
            .apps()
            .deployments()
            .inNamespace(namespace)
            .inform(handler(observer::deployment, d -> observer.forget(d.getMetadata().getName())));
    if (policy != null) {
      observer.policies =
          client
              .resources(RuntimePolicy.class)
              .inNamespace(namespace)
              .withName(policy)
              .inform(handler(observer::policy, p -> observer.statusExact = false));
    }
    return observer;
  }

  /** Deployments of the namespace this observer has seen so far. */
  int seen() {
    return seen.size();
  }

  /** System.nanoTime() of the moment convergence was first observed. */
  long await(Duration within) throws TimeoutException {
    try {
      return done.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "converged "
              + converged.size()
              + " of "
              + expected
              + (needsStatus ? ", last status: " + lastStatus : "")
              + " after "
              + within);
    }
  }

  @Override
  public void close() {
    if (deployments != null) {
      deployments.close();
    }
    if (policies != null) {
      policies.close();
    }
  }

  private void deployment(Deployment d) {
    String name = d.getMetadata().getName();
    seen.add(name);
    var podSpec = d.getSpec().getTemplate().getSpec();
    if (WorkloadEvaluator.evaluate(
            PolicySettings.defaults(), d.getMetadata().getAnnotations(), podSpec)
        .needsChange()) {
      converged.remove(name);
    } else {
      converged.add(name);
    }
    check();
  }

  private void forget(String name) {
    seen.remove(name);
    converged.remove(name);
  }

  private void policy(RuntimePolicy p) {
    RuntimePolicyStatus s = p.getStatus();
    lastStatus =
        s == null
            ? "none"
            : "targets "
                + s.getTargets()
                + ", tuned "
                + s.getTuned()
                + ", observedGeneration "
                + s.getObservedGeneration()
                + " of "
                + p.getMetadata().getGeneration();
    statusExact =
        s != null
            && Objects.equals(s.getObservedGeneration(), p.getMetadata().getGeneration())
            && Objects.equals(s.getTargets(), expected)
            && Objects.equals(s.getTuned(), expected);
    check();
  }

  private void check() {
    if (converged.size() == expected && (!needsStatus || statusExact)) {
      done.complete(System.nanoTime());
    }
  }

  /** Adds and updates to {@code upsert}, deletes to {@code delete}. */
  static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upsert.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        upsert.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        delete.accept(obj);
      }
    };
  }
}
