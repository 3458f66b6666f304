package io.serendip.operator.api;

/** The DJL engine a model server runs its artifact with. */
public enum Engine {
  PyTorch,
  OnnxRuntime
}
