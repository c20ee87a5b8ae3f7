package org.tffinetune.models;

import static org.tensorflow.internal.c_api.global.tensorflow.TFE_ContextListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContext;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_DeleteContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContext;
import static org.tensorflow.internal.c_api.global.tensorflow.TFE_NewContextOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.internal.c_api.TFE_Context;
import org.tensorflow.internal.c_api.TFE_ContextOptions;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Status;

/**
 * Lists the devices TensorFlow can run on, such as {@code CPU:0} or {@code GPU:0}. A session places
 * each op on a GPU when one is listed and the op has a GPU kernel, else on the CPU.
 *
 * <p>NOTE: it uses TensorFlow's C API through TF Java's internal bindings, because TF Java 1.1.0
 * has no public call that lists devices.
 */
public final class Devices {
  private static List<String> cached;

  private Devices() {}

  /** Returns the devices as names such as {@code CPU:0}, or one note when listing failed. */
  public static synchronized List<String> list() {
    if (cached != null) {
      return cached;
    }
    List<String> devices = new ArrayList<>();
    TF_Status status = TF_NewStatus();
    TFE_ContextOptions options = TFE_NewContextOptions();
    try {
      TFE_Context context = TFE_NewContext(options, status);
      if (TF_GetCode(status) != 0 || context == null || context.isNull()) {
        return List.of("unknown (TensorFlow could not open an eager context)");
      }
      try {
        TF_DeviceList list = TFE_ContextListDevices(context, status);
        try {
          for (int i = 0; i < TF_DeviceListCount(list); i++) {
            String name = TF_DeviceListName(list, i, status).getString();
            devices.add(name.substring(name.lastIndexOf("device:") + "device:".length()));
          }
        } finally {
          TF_DeleteDeviceList(list);
        }
      } finally {
        TFE_DeleteContext(context);
      }
    } finally {
      TFE_DeleteContextOptions(options);
      TF_DeleteStatus(status);
    }
    cached = List.copyOf(devices);
    return cached;
  }

  /** Returns true when TensorFlow lists a GPU. */
  public static boolean hasGpu() {
    return list().stream().anyMatch(d -> d.startsWith("GPU"));
  }
}
