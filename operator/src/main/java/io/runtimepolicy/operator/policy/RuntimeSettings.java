package io.runtimepolicy.operator.policy;

import java.util.List;

/**
 * One runtime's section of a policy with every default resolved ({@link RuntimeProfile#resolve}):
 * how its processors are computed, and whatever else the runtime reads.
 */
public interface RuntimeSettings {

  /** How this runtime turns a CPU quantity into processors. */
  ProcessorRules processors();

  /**
   * What the schema's CEL rules would refuse in the section, for a spec the API server never saw
   * (the default policy); the engine treats such values as not set, or leaves the container alone.
   */
  default List<String> problems() {
    return List.of();
  }

  /**
   * A whole percentage from 1 to 100, else null (not managed): the CRD schema refuses the rest, but
   * schemas can be bypassed, and such a value is treated as not set rather than written.
   */
  static Integer wholePercent(Integer percent) {
    return percent != null && percent >= 1 && percent <= 100 ? percent : null;
  }

  /** The settings of a runtime that has only the processor fields. */
  record Processors(ProcessorRules processors) implements RuntimeSettings {}
}
