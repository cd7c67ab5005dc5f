package io.runtimepolicy.operator;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * The Java side of {@link RealRuntimes}: what a JVM started with a container's env decided. Runs in
 * its own JVM; prints one {@code key=value} per line.
 */
public final class RuntimeReport {

  private RuntimeReport() {}

  public static void main(String[] args) {
    HotSpotDiagnosticMXBean hotspot =
        ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    System.out.println("availableProcessors=" + Runtime.getRuntime().availableProcessors());
    System.out.println("maxMemory=" + Runtime.getRuntime().maxMemory());
    System.out.println("MaxHeapSize=" + hotspot.getVMOption("MaxHeapSize").getValue());
  }
}
