"""Time of one TorchScript forward pass per batch size: what batching concurrent requests can save.

  python batch_cost.py --model WORK/exported/model.pt [--length 50] [--items 1600] [--passes 300]

One torch thread, torch.inference_mode, random full-length histories, 50 warm-up passes per batch size.
"""
import argparse
import time

import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True)
    parser.add_argument("--length", type=int, default=50)
    parser.add_argument("--items", type=int, default=1600, help="token ids are drawn from 1..items-1")
    parser.add_argument("--passes", type=int, default=300)
    args = parser.parse_args()
    torch.set_num_threads(1)
    model = torch.jit.load(args.model)
    model.eval()
    print("| batch | ms per pass | ms per history |")
    print("|---:|---:|---:|")
    for batch in (1, 2, 4, 8, 16, 32):
        histories = torch.randint(1, args.items, (batch, args.length))
        with torch.inference_mode():
            for _ in range(50):
                model(histories)
            start = time.perf_counter()
            for _ in range(args.passes):
                model(histories)
            ms = (time.perf_counter() - start) / args.passes * 1000
        print(f"| {batch} | {ms:.3f} | {ms / batch:.3f} |")


if __name__ == "__main__":
    main()
