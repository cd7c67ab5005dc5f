package io.runtimepolicy.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exits the process when the leader Lease is lost, so two replicas never reconcile at once, but not
 * when the operator itself is stopping: JOSDK's own exit-on-stop-leading also fires on a normal
 * shutdown, and System.exit from within a shutdown hook blocks that hook forever.
 */
final class LeadershipGuard {

  private static final Logger log = LoggerFactory.getLogger(LeadershipGuard.class);

  private final AtomicBoolean stopping = new AtomicBoolean();

  LeaderElectionConfiguration configuration(String leaseName, String leaseNamespace) {
    return new LeaderElectionConfiguration(
        leaseName,
        leaseNamespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        new LeaderCallbacks(
            () -> log.info("Acquired the leader Lease {}/{}", leaseNamespace, leaseName),
            this::lost,
            leader -> log.debug("Leader of {}/{} is {}", leaseNamespace, leaseName, leader)),
        false);
  }

  void stopping() {
    stopping.set(true);
  }

  private void lost() {
    if (stopping.get()) {
      return;
    }
    log.error("Lost the leader Lease: exiting so that only one replica reconciles");
    new Thread(() -> System.exit(1), "exit-on-lost-lease").start();
  }
}
