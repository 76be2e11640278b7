using System.Text;
using OpenList.DriverHost.Hosting;
using Serilog;
using Serilog.Formatting.Display;

namespace OpenList.DriverHost.DriverHost.Tests.Operations;

/// <summary>The queued console sink of <c>serve</c>: every line written, in order, and all of them by Dispose.</summary>
public sealed class BackgroundTextSinkTests
{
    [Fact]
    public void Every_event_is_written_in_order_by_dispose_even_past_the_queue_capacity()
    {
        var count = BackgroundTextSink.Capacity + 5000; // past the capacity, Emit waits for room instead of dropping
        using var output = new MemoryStream();
        using (var logger = new LoggerConfiguration()
            .WriteTo.Sink(new BackgroundTextSink(new MessageTemplateTextFormatter("{Level:u3} {Message:lj}{NewLine}"), output))
            .CreateLogger())
        {
            for (var i = 0; i < count; i++)
            {
                logger.Information("line {Number} of {Name}", i, "test");
            }
        }

        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count, lines.Length);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal($"INF line {i} of test", lines[i]);
        }
    }

    [Fact]
    public void The_output_stream_stays_open_for_its_owner()
    {
        using var output = new MemoryStream();
        using (var logger = new LoggerConfiguration()
            .WriteTo.Sink(new BackgroundTextSink(new MessageTemplateTextFormatter("{Message:lj}{NewLine}"), output))
            .CreateLogger())
        {
            logger.Warning("{Path} done", "/dav/a.txt");
        }

        Assert.True(output.CanWrite);
        Assert.Equal("/dav/a.txt done\n", Encoding.UTF8.GetString(output.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal));
    }
}
