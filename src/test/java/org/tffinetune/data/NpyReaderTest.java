package org.tffinetune.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tffinetune.InvalidInputException;

class NpyReaderTest {
  private static final byte[] DATA = {1, 2, 3, 4, 5, 6};

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void readHeaderOfEachVersion(int version) throws IOException {
    InputStream in = stream(MnistFixtures.npy(version, "|u1", false, "(2, 3)", DATA));

    NpyReader.Header header = NpyReader.readHeader(in, "a.npy");

    assertEquals("|u1", header.descr());
    assertFalse(header.fortranOrder());
    assertArrayEquals(new long[] {2, 3}, header.shape());
    assertEquals(6, header.elementCount());
    assertArrayEquals(DATA, NpyReader.readData(in, header, 1, "a.npy"));
  }

  @Test
  void readOneDimensionalShape() throws IOException {
    NpyReader.Header header =
        NpyReader.readHeader(stream(MnistFixtures.npy(1, "<i8", false, "(6,)", DATA)), "a.npy");

    assertArrayEquals(new long[] {6}, header.shape());
    assertEquals("(6,)", header.shapeText());
  }

  @Test
  void readPython2LongDimensions() throws IOException {
    NpyReader.Header header =
        NpyReader.readHeader(stream(MnistFixtures.npy(1, "|u1", true, "(2L, 3L)", DATA)), "a.npy");

    assertArrayEquals(new long[] {2, 3}, header.shape());
    assertTrue(header.fortranOrder());
    assertEquals("(2, 3)", header.shapeText());
  }

  @Test
  void readScalarShape() throws IOException {
    NpyReader.Header header =
        NpyReader.readHeader(stream(MnistFixtures.npy(1, "|u1", false, "()", DATA)), "a.npy");

    assertEquals(0, header.shape().length);
    assertEquals(1, header.elementCount());
  }

  @Test
  void rejectMissingMagic() {
    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> NpyReader.readHeader(stream(new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}), "a.npy"));

    assertEquals("a.npy: not an NPY array: missing magic \\x93NUMPY", e.getMessage());
  }

  @Test
  void rejectUnsupportedVersion() {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(6,)", DATA);
    npy[6] = 4;

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NpyReader.readHeader(stream(npy), "a.npy"));

    assertEquals("a.npy: NPY format version must be 1, 2 or 3, found 4", e.getMessage());
  }

  @Test
  void rejectTruncatedHeader() {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(6,)", DATA);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class,
            () -> NpyReader.readHeader(stream(Arrays.copyOf(npy, 40)), "a.npy"));

    assertEquals("a.npy: truncated NPY header: expected 118 bytes, found 30", e.getMessage());
  }

  @Test
  void rejectStructuredDtype() {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(6,)", DATA);
    String header = new String(npy, java.nio.charset.StandardCharsets.ISO_8859_1);
    byte[] structured =
        header
            .replace("'descr': '|u1', ", "'descr': [('a', '<i4')],")
            .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    InvalidInputException e =
        assertThrows(
            InvalidInputException.class, () -> NpyReader.readHeader(stream(structured), "a.npy"));

    assertTrue(
        e.getMessage().startsWith("a.npy: NPY header has no supported 'descr' entry"),
        e.getMessage());
  }

  @Test
  void rejectInvalidDimension() {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(2, x)", DATA);

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NpyReader.readHeader(stream(npy), "a.npy"));

    assertTrue(
        e.getMessage().startsWith("a.npy: NPY shape has an invalid dimension 'x'"), e.getMessage());
  }

  @Test
  void rejectTruncatedData() throws IOException {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(2, 3)", DATA);
    InputStream in = stream(Arrays.copyOf(npy, npy.length - 2));
    NpyReader.Header header = NpyReader.readHeader(in, "a.npy");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NpyReader.readData(in, header, 1, "a.npy"));

    assertEquals("a.npy: truncated: shape (2, 3) needs 6 data bytes, found 4", e.getMessage());
  }

  @Test
  void rejectTrailingData() throws IOException {
    byte[] npy = MnistFixtures.npy(1, "|u1", false, "(5,)", DATA);
    InputStream in = stream(npy);
    NpyReader.Header header = NpyReader.readHeader(in, "a.npy");

    InvalidInputException e =
        assertThrows(InvalidInputException.class, () -> NpyReader.readData(in, header, 1, "a.npy"));

    assertEquals("a.npy: too long: shape (5,) needs 5 data bytes, found 6", e.getMessage());
  }

  private static InputStream stream(byte[] bytes) {
    return new ByteArrayInputStream(bytes);
  }
}
