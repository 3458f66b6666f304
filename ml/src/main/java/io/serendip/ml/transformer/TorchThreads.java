package io.serendip.ml.transformer;

/** Thread settings of DJL's PyTorch engine; they only take effect before the engine first loads. */
public final class TorchThreads {

    private TorchThreads() {
    }

    /** Uses {@code threads} intra-op threads and one inter-op thread; 0 or less leaves the engine defaults. */
    public static void limit(int threads) {
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }
}
