package org.tffinetune.experiments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** One of the three ways an experiment trains a model on the target digits. */
public enum Arm {
  /** Pretrained feature layers frozen, the layers after them trained. */
  TRANSFER("transfer", "pretrained features frozen, head trained"),
  /** Every layer trained, starting from the pretrained weights. */
  FINE_TUNE_ALL("fine-tune-all", "pretrained weights, every layer trained"),
  /** Every layer trained, starting from random weights. */
  SCRATCH("scratch", "random weights, every layer trained");

  private final String id;
  private final String description;

  Arm(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** Returns the name used in file names, JSON and reports, such as {@code fine-tune-all}. */
  @JsonValue
  public String id() {
    return id;
  }

  /** Returns a short description of how the arm trains. */
  public String description() {
    return description;
  }

  /** Returns whether the arm starts from the pretrained weights. */
  public boolean usesPretrainedWeights() {
    return this != SCRATCH;
  }

  /**
   * Returns the arm with the given {@link #id()}.
   *
   * @throws IllegalArgumentException naming the known ids when {@code id} is unknown
   */
  @JsonCreator
  public static Arm fromId(String id) {
    for (Arm arm : values()) {
      if (arm.id.equals(id)) {
        return arm;
      }
    }
    throw new IllegalArgumentException(
        "unknown arm '"
            + id
            + "'; expected one of "
            + Arrays.stream(values()).map(Arm::id).toList());
  }
}
