package org.tffinetune.data;

/**
 * The body of one IDX file without its header, and the file or archive entry it came from.
 *
 * @param bytes pixels (row-major, 784 bytes per image) or labels (one byte per image)
 * @param source the file or archive entry, named in error messages
 */
record IdxData(byte[] bytes, String source) {}
