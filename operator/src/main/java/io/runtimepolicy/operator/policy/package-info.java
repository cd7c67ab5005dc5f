/**
 * The pure policy engine: values in, result records out.
 *
 * <p>Nothing here talks to the API server, reads a clock, logs or does I/O, so the reconciler and
 * the admission webhook can share it and every rule is unit-tested in isolation. Only fabric8
 * <em>model</em> types ({@code io.fabric8.kubernetes.api.model}) may be used here; {@code
 * PolicyPackageImportsTest} enforces it.
 */
package io.runtimepolicy.operator.policy;
