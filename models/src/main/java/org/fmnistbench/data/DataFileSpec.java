package org.fmnistbench.data;

import java.util.List;

/**
 * What one of the four Fashion-MNIST files must be: its file name, its IDX dimensions and the
 * SHA-256 of its decompressed content.
 *
 * @param name file name as published, e.g. {@code train-images-idx3-ubyte.gz}
 * @param dims expected IDX dimensions
 * @param sha256 hex SHA-256 of the decompressed bytes (header included)
 */
public record DataFileSpec(String name, int[] dims, String sha256) {

  /*
   * The checksums are of the decompressed canonical files (zalandoresearch/fashion-mnist,
   * 2017 release); Debian's dataset-fashion-mnist ships the same content recompressed.
   */
  public static final DataFileSpec TRAIN_IMAGES = new DataFileSpec("train-images-idx3-ubyte.gz",
      new int[] {60_000, 28, 28}, "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
  public static final DataFileSpec TRAIN_LABELS = new DataFileSpec("train-labels-idx1-ubyte.gz",
      new int[] {60_000}, "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9");
  public static final DataFileSpec TEST_IMAGES = new DataFileSpec("t10k-images-idx3-ubyte.gz",
      new int[] {10_000, 28, 28}, "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b");
  public static final DataFileSpec TEST_LABELS = new DataFileSpec("t10k-labels-idx1-ubyte.gz",
      new int[] {10_000}, "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

  /** The four canonical files, in the order train images, train labels, test images, test labels. */
  public static final List<DataFileSpec> FASHION_MNIST =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);
}
