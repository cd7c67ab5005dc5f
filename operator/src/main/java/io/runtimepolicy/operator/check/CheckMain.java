package io.runtimepolicy.operator.check;

import java.util.List;

/**
 * The launcher's entry point ({@code bin/runtime-policy}): the operator's jar, but neither the
 * operator nor a Kubernetes client is started.
 */
public final class CheckMain {

  private CheckMain() {}

  public static void main(String[] args) {
    int exit =
        new CheckCommand(System.getenv(), System.in, System.out, System.err).run(List.of(args));
    System.out.flush();
    System.exit(exit);
  }
}
