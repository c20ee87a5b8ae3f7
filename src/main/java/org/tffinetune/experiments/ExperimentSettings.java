package org.tffinetune.experiments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tffinetune.InvalidInputException;
import org.tffinetune.data.Digits;
import org.tffinetune.optimizers.OptimizerSpec;

/**
 * Settings of an experiment: the source digits that pretraining learns, the target digits that the
 * three {@link Arm}s learn, the seeds, the training-set sizes and the training options shared by
 * every run. Instances are immutable, and {@link #builder()} checks the values.
 */
public final class ExperimentSettings {
  /** Default number of seeds. */
  public static final int SEEDS_DEFAULT = 3;

  /** Default source digits, which pretraining learns. */
  public static final String SOURCE_DEFAULT = "5-9";

  /** Default target digits, which the arms learn. */
  public static final String TARGET_DEFAULT = "0-4";

  private final int[] source;
  private final int[] target;
  private final int seeds;
  private final long seed;
  private final List<Integer> samplesPerClass;
  private final int epochs;
  private final int pretrainEpochs;
  private final int batchSize;
  private final OptimizerSpec optimizer;
  private final int limit;
  private final boolean cacheFrozenFeatures;
  private final boolean newHead;
  private final int intraOpThreads;
  private final int interOpThreads;

  private ExperimentSettings(Builder b) {
    this.source = Arrays.stream(b.source).sorted().toArray();
    this.target = Arrays.stream(b.target).sorted().toArray();
    this.seeds = b.seeds;
    this.seed = b.seed;
    this.samplesPerClass = SampleSizes.sorted(b.samplesPerClass);
    this.epochs = b.epochs;
    this.pretrainEpochs = b.pretrainEpochs == 0 ? b.epochs : b.pretrainEpochs;
    this.batchSize = b.batchSize;
    this.optimizer = b.optimizer;
    this.limit = b.limit;
    this.cacheFrozenFeatures = b.cacheFrozenFeatures;
    this.newHead = b.newHead;
    this.intraOpThreads = b.intraOpThreads;
    this.interOpThreads = b.interOpThreads;
  }

  /** Returns a builder with the defaults: digits 5-9 to 0-4, 3 seeds, sizes 10 to all. */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns the source digits in ascending order. */
  public int[] source() {
    return source.clone();
  }

  /** Returns the target digits in ascending order. */
  public int[] target() {
    return target.clone();
  }

  /** Returns the number of seeds. Each seed pretrains once and runs every arm at every size. */
  public int seeds() {
    return seeds;
  }

  /** Returns the first seed. Seed {@code i} (from 0) of the experiment is {@code seed() + i}. */
  public long seed() {
    return seed;
  }

  /** Returns the seeds of the runs: {@code seed()} to {@code seed() + seeds() - 1}. */
  public List<Long> runSeeds() {
    List<Long> result = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      result.add(seed + i);
    }
    return result;
  }

  /**
   * Returns the training-set sizes in images per class, ascending, {@link SampleSizes#ALL} last.
   */
  public List<Integer> samplesPerClass() {
    return samplesPerClass;
  }

  /** Returns the epochs of every arm's training. */
  public int epochs() {
    return epochs;
  }

  /** Returns the epochs of pretraining on the source digits. */
  public int pretrainEpochs() {
    return pretrainEpochs;
  }

  /** Returns the examples per training step. */
  public int batchSize() {
    return batchSize;
  }

  /** Returns the optimizer of pretraining and of every arm. */
  public OptimizerSpec optimizer() {
    return optimizer;
  }

  /** Returns the cap on training images per digit set (source and target), or 0 for none. */
  public int limit() {
    return limit;
  }

  /** Returns whether the transfer arm trains the head on cached frozen features. */
  public boolean cacheFrozenFeatures() {
    return cacheFrozenFeatures;
  }

  /**
   * Returns whether the transfer and fine-tune-all arms start the layers after the features from
   * random weights instead of the pretrained head.
   */
  public boolean newHead() {
    return newHead;
  }

  /** Returns TensorFlow's intra-op thread count, 0 for TensorFlow's choice. */
  public int intraOpThreads() {
    return intraOpThreads;
  }

  /** Returns TensorFlow's inter-op thread count, 0 for TensorFlow's choice. */
  public int interOpThreads() {
    return interOpThreads;
  }

  /**
   * Returns the settings that decide what a finished run contains, keyed by their JSON names. A
   * results folder can be resumed only with the same values. The seed count and the sizes are not
   * among them: changing them adds runs or leaves some out of the report, but keeps finished runs
   * valid.
   */
  public Map<String, Object> identity(String modelName) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("model", modelName);
    map.put("source", Digits.format(source));
    map.put("target", Digits.format(target));
    map.put("seed", seed);
    map.put("epochs", epochs);
    map.put("pretrain_epochs", pretrainEpochs);
    map.put("batch_size", batchSize);
    map.put("optimizer", optimizer.kind().kerasName());
    map.put("learning_rate", Float.toString(optimizer.learningRate()));
    map.put("limit", limit);
    map.put("head", newHead ? "new" : "pretrained");
    return map;
  }

  /** Builder for {@link ExperimentSettings}, whose {@link #build()} checks the values. */
  public static final class Builder {
    private int[] source = Digits.parse(SOURCE_DEFAULT);
    private int[] target = Digits.parse(TARGET_DEFAULT);
    private boolean allowOverlap;
    private int seeds = SEEDS_DEFAULT;
    private long seed;
    private List<Integer> samplesPerClass = SampleSizes.DEFAULT;
    private int epochs = 5;
    private int pretrainEpochs;
    private int batchSize = 128;
    private OptimizerSpec optimizer = OptimizerSpec.of("adadelta", null);
    private int limit;
    private boolean cacheFrozenFeatures = true;
    private boolean newHead;
    private int intraOpThreads;
    private int interOpThreads;

    private Builder() {}

    /** Sets the digits that pretraining learns (default 5-9). */
    public Builder source(int... digits) {
      this.source = digits == null ? new int[0] : digits.clone();
      return this;
    }

    /** Sets the digits that the arms learn (default 0-4). */
    public Builder target(int... digits) {
      this.target = digits == null ? new int[0] : digits.clone();
      return this;
    }

    /** Allows source and target digits to share digits (default: rejected). */
    public Builder allowOverlap(boolean allowOverlap) {
      this.allowOverlap = allowOverlap;
      return this;
    }

    /** Sets the number of seeds (default 3). */
    public Builder seeds(int seeds) {
      this.seeds = seeds;
      return this;
    }

    /** Sets the first seed (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Sets the training-set sizes in images per class, {@link SampleSizes#ALL} for all. */
    public Builder samplesPerClass(List<Integer> sizes) {
      this.samplesPerClass = sizes == null ? List.of() : List.copyOf(sizes);
      return this;
    }

    /** Sets the epochs of every arm (default 5). */
    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    /** Sets the epochs of pretraining, where 0 (the default) means {@link #epochs}. */
    public Builder pretrainEpochs(int pretrainEpochs) {
      this.pretrainEpochs = pretrainEpochs;
      return this;
    }

    /** Sets the examples per step (default 128). */
    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /** Sets the optimizer (default Adadelta with Keras 3's learning rate 0.001). */
    public Builder optimizer(OptimizerSpec optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    /** Caps the training images of the source and of the target digits, 0 (default) for no cap. */
    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    /** Turns the frozen-feature cache of the transfer arm on or off (default on). */
    public Builder cacheFrozenFeatures(boolean cacheFrozenFeatures) {
      this.cacheFrozenFeatures = cacheFrozenFeatures;
      return this;
    }

    /**
     * Starts the head of the pretrained arms from random weights (default: from the pretrained
     * head, as the notebook does).
     */
    public Builder newHead(boolean newHead) {
      this.newHead = newHead;
      return this;
    }

    /** Sets TensorFlow's thread pools, where 0 (the default) lets TensorFlow choose. */
    public Builder threads(int intraOp, int interOp) {
      this.intraOpThreads = intraOp;
      this.interOpThreads = interOp;
      return this;
    }

    /**
     * Checks the values and returns the settings.
     *
     * @throws InvalidInputException naming the option, the rule and the value found
     */
    public ExperimentSettings build() {
      checkDigits("--source", source);
      checkDigits("--target", target);
      checkOverlap();
      checkPositive("--seeds", seeds);
      checkPositive("--epochs", epochs);
      checkPositive("--batch-size", batchSize);
      if (pretrainEpochs < 0) {
        throw new InvalidInputException(
            "--pretrain-epochs must be positive, or 0 for --epochs, found " + pretrainEpochs);
      }
      if (limit < 0) {
        throw new InvalidInputException("--limit must be 0 (all) or positive, found " + limit);
      }
      if (intraOpThreads < 0 || interOpThreads < 0) {
        throw new InvalidInputException(
            "thread counts must be 0 or more, found intra-op "
                + intraOpThreads
                + ", inter-op "
                + interOpThreads);
      }
      checkSampleSizes();
      if (optimizer == null) {
        throw new InvalidInputException("an optimizer is required, found none");
      }
      return new ExperimentSettings(this);
    }

    private static void checkDigits(String option, int[] digits) {
      if (digits.length == 0) {
        throw new InvalidInputException(
            option + " selects no digits; expected digits such as 5-9 or 0,1,2");
      }
      int[] sorted = digits.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < sorted.length; i++) {
        if (sorted[i] < 0 || sorted[i] > 9) {
          throw new InvalidInputException(
              option + " digits must lie within 0-9, found " + sorted[i]);
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw new InvalidInputException(
              option + " lists digit " + sorted[i] + " twice in " + Arrays.toString(digits));
        }
      }
    }

    private void checkOverlap() {
      if (allowOverlap) {
        return;
      }
      List<Integer> shared = new ArrayList<>();
      for (int s : source) {
        for (int t : target) {
          if (s == t) {
            shared.add(s);
          }
        }
      }
      if (!shared.isEmpty()) {
        int[] common = shared.stream().mapToInt(Integer::intValue).sorted().toArray();
        throw new InvalidInputException(
            "--source "
                + Digits.format(Arrays.stream(source).sorted().toArray())
                + " and --target "
                + Digits.format(Arrays.stream(target).sorted().toArray())
                + " share digits "
                + Digits.format(common)
                + "; choose disjoint digits, or pass --allow-overlap to pretrain on target digits");
      }
    }

    private static void checkPositive(String option, int value) {
      if (value <= 0) {
        throw new InvalidInputException(option + " must be positive, found " + value);
      }
    }

    private void checkSampleSizes() {
      if (samplesPerClass.isEmpty()) {
        throw new InvalidInputException(
            "--samples lists no sizes; expected images per class such as 10,50,100,500,all");
      }
      for (int size : samplesPerClass) {
        if (size < 0) {
          throw new InvalidInputException(
              "--samples sizes must be positive or 'all', found " + size);
        }
      }
      if (samplesPerClass.stream().distinct().count() != samplesPerClass.size()) {
        throw new InvalidInputException(
            "--samples lists a size twice: " + SampleSizes.format(samplesPerClass));
      }
    }
  }
}
