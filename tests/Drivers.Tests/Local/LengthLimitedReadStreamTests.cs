using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

public sealed class LengthLimitedReadStreamTests
{
    private static readonly byte[] Data = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(0, 1, 1)]
    [InlineData(10, 100, 7)]
    [InlineData(10, 100, 4096)]
    [InlineData(200, 56, 3)]
    public async Task ReadsExactlyTheLimitFromThePosition(int start, int length, int bufferSize)
    {
        var inner = new MemoryStream(Data) { Position = start };
        await using var limited = new LengthLimitedReadStream(inner, length);
        using var copy = new MemoryStream();
        var buffer = new byte[bufferSize];
        int read;
        while ((read = await limited.ReadAsync(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        Assert.Equal(Data.Skip(start).Take(length), copy.ToArray());
        Assert.Equal(0, limited.Read(buffer, 0, buffer.Length));
        Assert.Equal(length, limited.Position);
    }

    [Fact]
    public void SyncReads_StopAtTheLimitToo()
    {
        using var limited = new LengthLimitedReadStream(new MemoryStream(Data) { Position = 5 }, 3);
        var buffer = new byte[10];
        Assert.Equal(3, limited.Read(buffer, 0, 10));
        Assert.Equal([5, 6, 7], buffer[..3]);
        Assert.Equal(-1, limited.ReadByte());
    }

    [Fact]
    public void IsReadOnlyAndForwardOnly_AndDisposesTheInnerStream()
    {
        var inner = new MemoryStream(Data);
        var limited = new LengthLimitedReadStream(inner, 10);
        Assert.True(limited.CanRead);
        Assert.False(limited.CanSeek);
        Assert.False(limited.CanWrite);
        Assert.Throws<NotSupportedException>(() => limited.Seek(0, SeekOrigin.Begin));
        Assert.Throws<NotSupportedException>(() => limited.Write([1], 0, 1));

        limited.Dispose();

        Assert.False(inner.CanRead);
    }
}
