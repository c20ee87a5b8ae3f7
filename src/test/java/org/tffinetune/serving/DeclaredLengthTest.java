package org.tffinetune.serving;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the 413 response to a Content-Length header far above the size limit. */
class DeclaredLengthTest {

  @Test
  void hugeDeclaredLengthAnsweredAtOnce(@TempDir Path dir) throws Exception {
    Path modelDir = dir.resolve("linear");
    TestModels.exportLinear(modelDir, 7);
    try (ModelServer server =
        ModelServer.builder()
            .model("mnist", modelDir)
            .host("127.0.0.1")
            .port(0)
            .maxRequestBytes(1000)
            .start()) {
      try (Socket socket = new Socket("127.0.0.1", server.port())) {
        // The header claims about 1 GB but only one byte follows, so a server that waits for the
        // body would respond only after its idle timeout.
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(
            ("POST /v1/models/mnist:predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        long start = System.nanoTime();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int read;
        while (!response.toString(StandardCharsets.US_ASCII).contains("}")
            && (read = in.read(buffer)) > 0) {
          response.write(buffer, 0, read);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String text = response.toString(StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("HTTP/1.1 413"), text);
        assertTrue(text.contains("request body too large"), text);
        assertTrue(seconds < 5, "answered after " + seconds + " s");
      }
    }
  }
}
