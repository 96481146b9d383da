using System.Buffers.Binary;
using Hearth.Gguf.Blocks;

namespace Hearth.Gguf.Tests.Blocks;

/// <summary>
/// Blocks assembled by hand from the layouts in ggml-common.h, with values worked out from each format's formula,
/// so a failure names the format and the weight whose formula is wrong (the ggml cross-checks say only that bits differ).
/// </summary>
public class HandMadeBlockTests
{
    private const ushort Half1 = 0x3C00, HalfHalf = 0x3800, HalfQuarter = 0x3400, Half2 = 0x4000, HalfMinus1 = 0xBC00;

    [Fact]
    public void DecodesQ4_0AsCodeMinusEightTimesScale()
    {
        var block = new byte[18];
        PutHalf(block, 0, HalfHalf);
        for (int j = 0; j < 16; j++)
            block[2 + j] = (byte)(j | ((15 - j) << 4));

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q4_0, block, 32);

        for (int j = 0; j < 16; j++)
        {
            Assert.Equal((j - 8) * 0.5f, y[j]);
            Assert.Equal((7 - j) * 0.5f, y[j + 16]);
        }
    }

    [Fact]
    public void DecodesQ4_1AsCodeTimesScalePlusMin()
    {
        var block = new byte[20];
        PutHalf(block, 0, HalfQuarter);
        PutHalf(block, 2, HalfMinus1);
        for (int j = 0; j < 16; j++)
            block[4 + j] = (byte)(j | ((15 - j) << 4));

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q4_1, block, 32);

        for (int j = 0; j < 16; j++)
        {
            Assert.Equal(j * 0.25f - 1f, y[j]);
            Assert.Equal((15 - j) * 0.25f - 1f, y[j + 16]);
        }
    }

    [Fact]
    public void DecodesQ5_0TakingTheFifthBitOfWeightKFromBitKOfQh()
    {
        var block = new byte[22];
        PutHalf(block, 0, Half1);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(2), (1u << 3) | (1u << 20));
        block.AsSpan(6, 16).Fill(0x21); // low nibble 1, high nibble 2

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q5_0, block, 32);

        for (int k = 0; k < 32; k++)
        {
            int low4 = k < 16 ? 1 : 2;
            int fifth = k is 3 or 20 ? 16 : 0;
            Assert.Equal(low4 + fifth - 16, y[k]);
        }
    }

    [Fact]
    public void DecodesQ5_1AsFiveBitCodeTimesScalePlusMin()
    {
        var block = new byte[24];
        PutHalf(block, 0, HalfHalf);
        PutHalf(block, 2, Half2);
        BinaryPrimitives.WriteUInt32LittleEndian(block.AsSpan(4), 0x8000_0001u); // weights 0 and 31
        block.AsSpan(8, 16).Fill(0xF0);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q5_1, block, 32);

        Assert.Equal(16 * 0.5f + 2f, y[0]);
        for (int k = 1; k < 16; k++)
            Assert.Equal(2f, y[k]);
        for (int k = 16; k < 31; k++)
            Assert.Equal(15 * 0.5f + 2f, y[k]);
        Assert.Equal(31 * 0.5f + 2f, y[31]);
    }

    [Fact]
    public void DecodesQ8_0AsSignedByteTimesScale()
    {
        var block = new byte[34];
        PutHalf(block, 0, Half2);
        for (int j = 0; j < 32; j++)
            block[2 + j] = unchecked((byte)(sbyte)(j * 8 - 128));

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q8_0, block, 32);

        for (int j = 0; j < 32; j++)
            Assert.Equal((j * 8 - 128) * 2f, y[j]);
    }

    [Fact]
    public void DecodesQ2_KWithFourBitScaleAndMinPerSixteenWeights()
    {
        var block = new byte[84];
        for (int k = 0; k < 16; k++)
            block[k] = (byte)(k | (2 << 4)); // scale k, min 2
        block.AsSpan(16, 64).Fill(0b11_10_01_00); // 2-bit code s in bits 2s..2s+1
        PutHalf(block, 80, Half1);
        PutHalf(block, 82, HalfHalf);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q2_K, block, 256);

        for (int i = 0; i < 256; i++)
        {
            int half = i / 128, s = i % 128 / 32, part = i % 32 / 16;
            int subBlock = 8 * half + 2 * s + part;
            Assert.Equal(subBlock * s - 0.5f * 2, y[i]);
        }
    }

    [Theory]
    [InlineData(0xFF, 0)]
    [InlineData(0x00, 4)]
    public void DecodesQ3_KWithSignedSixBitScalesAndHighBitMask(byte hmask, int subtracted)
    {
        var block = new byte[110];
        block.AsSpan(0, 32).Fill(hmask);
        block.AsSpan(32, 64).Fill(0b11_10_01_00);
        // Pack sixteen 6-bit scales as quantize_row_q3_K_ref does: low nibbles in bytes 0-7, top bits in bytes 8-11.
        Span<byte> scales = block.AsSpan(96, 12);
        for (int k = 0; k < 16; k++)
        {
            int l = 4 * k + 2; // stored value; the decoded scale is l - 32
            if (k < 8)
                scales[k] = (byte)(l & 0xF);
            else
                scales[k - 8] |= (byte)((l & 0xF) << 4);
            scales[8 + k % 4] |= (byte)((l >> 4) << (2 * (k / 4)));
        }
        PutHalf(block, 108, Half1);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q3_K, block, 256);

        for (int i = 0; i < 256; i++)
        {
            int half = i / 128, s = i % 128 / 32, part = i % 32 / 16;
            int subBlock = 8 * half + 2 * s + part;
            Assert.Equal((4 * subBlock + 2 - 32) * (s - subtracted), y[i]);
        }
    }

    [Fact]
    public void DecodesQ4_KWithPackedSixBitScalesAndMins()
    {
        var (block, sc, m) = KBlock(typeSize: 144, quantsOffset: 16);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q4_K, block, 256);

        for (int i = 0; i < 256; i++)
        {
            int chunk = i / 64, l = i % 32;
            bool high = i % 64 >= 32;
            int sub = 2 * chunk + (high ? 1 : 0);
            int q = high ? 15 - l % 16 : l % 16;
            Assert.Equal(sc[sub] * q - 0.5f * m[sub], y[i]);
        }
    }

    [Fact]
    public void DecodesQ5_KTakingTheFifthBitFromQhBitPairs()
    {
        var (block, sc, m) = KBlock(typeSize: 176, quantsOffset: 48);
        block.AsSpan(16, 32).Fill(0xAA); // bits 1,3,5,7: only the high-nibble weights of each chunk get +16

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q5_K, block, 256);

        for (int i = 0; i < 256; i++)
        {
            int chunk = i / 64, l = i % 32;
            bool high = i % 64 >= 32;
            int sub = 2 * chunk + (high ? 1 : 0);
            int q = high ? 15 - l % 16 + 16 : l % 16;
            Assert.Equal(sc[sub] * q - 0.5f * m[sub], y[i]);
        }
    }

    [Fact]
    public void DecodesQ6_KWithSignedScalesAndSixBitCodesMinusThirtyTwo()
    {
        var block = new byte[210];
        block.AsSpan(0, 128).Fill(0x5A);           // ql: low nibble 10, high nibble 5
        block.AsSpan(128, 64).Fill(0b11_10_01_00); // qh: top bits 0,1,2,3 for weights l, l+32, l+64, l+96
        for (int k = 0; k < 16; k++)
            block[192 + k] = unchecked((byte)(sbyte)(k - 8));
        PutHalf(block, 208, HalfHalf);

        float[] y = TensorDequantizer.Dequantize(GgmlType.Q6_K, block, 256);

        int[] codes = [10 - 32, (10 | 16) - 32, (5 | 32) - 32, (5 | 48) - 32];
        for (int i = 0; i < 256; i++)
        {
            int half = i / 128, group = i % 128 / 32, l = i % 32;
            int scale = 8 * half + 2 * group + l / 16 - 8;
            Assert.Equal(0.5f * scale * codes[group], y[i]);
        }
    }

    [Fact]
    public void DecodesF16AndBF16AndF32LittleEndian()
    {
        byte[] f16 = [0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00, 0x00, 0x80, 0x00, 0x7C];
        Assert.Equal([1f, -2f, 65504f, MathF.Pow(2, -24), -0f, float.PositiveInfinity], TensorDequantizer.Dequantize(GgmlType.F16, f16, 6));
        Assert.True(float.IsNegative(TensorDequantizer.Dequantize(GgmlType.F16, f16, 6)[4]));

        byte[] bf16 = [0x80, 0x3F, 0x00, 0xC0, 0x49, 0x40];
        Assert.Equal([1f, -2f, 3.140625f], TensorDequantizer.Dequantize(GgmlType.BF16, bf16, 3));

        byte[] f32 = [0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x80, 0xBF];
        Assert.Equal([1.5f, -1f], TensorDequantizer.Dequantize(GgmlType.F32, f32, 2));
    }

    /// <summary>
    /// A Q4_K/Q5_K block with d = 1, dmin = 0.5, scales 10 + 7j and mins 63 - 5j (sub-blocks 4-7 need the top-bit packing),
    /// packed as quantize_row_q4_K_ref does, and 4-bit codes l%16 (low nibbles) and 15 - l%16 (high nibbles).
    /// </summary>
    private static (byte[] Block, int[] Scales, int[] Mins) KBlock(int typeSize, int quantsOffset)
    {
        var block = new byte[typeSize];
        PutHalf(block, 0, Half1);
        PutHalf(block, 2, HalfHalf);
        int[] sc = new int[8], m = new int[8];
        for (int j = 0; j < 8; j++)
        {
            sc[j] = 10 + 7 * j;
            m[j] = 63 - 5 * j;
        }
        Span<byte> packed = block.AsSpan(4, 12);
        for (int j = 0; j < 8; j++)
        {
            if (j < 4)
            {
                packed[j] = (byte)sc[j];
                packed[j + 4] = (byte)m[j];
            }
            else
            {
                packed[j + 4] = (byte)((sc[j] & 0xF) | ((m[j] & 0xF) << 4));
                packed[j - 4] |= (byte)((sc[j] >> 4) << 6);
                packed[j] |= (byte)((m[j] >> 4) << 6);
            }
        }
        for (int i = 0; i < 128; i++)
            block[quantsOffset + i] = (byte)(i % 16 | ((15 - i % 16) << 4));
        return (block, sc, m);
    }

    private static void PutHalf(byte[] block, int offset, ushort bits) =>
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(offset), bits);
}
