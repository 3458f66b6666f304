package io.serendip.operator.api;

/**
 * What runs an InterestModel's artifact, and so which image its precompute pods and server run: PyTorch, a
 * sequence model trained from scratch, run by DJL in the runtime image; Transformers, a fine-tuned LLM (Hugging Face
 * transformers with a LoRA adapter), run by the LLM component in the runtime-cuda image.
 */
public enum InterestModelEngine {
  PyTorch,
  Transformers
}
