using System.Text;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;
using Serilog.Formatting;

namespace OpenList.DriverHost.Hosting;

/// <summary>
/// A text sink whose writes happen on one background thread: <see cref="Emit"/> only queues the event, and the
/// thread formats each one into a buffered writer that is flushed whenever the queue runs empty. <c>serve</c> uses it
/// for the console when standard error is not a terminal (a service, a container, a redirect to a file), so a
/// request never waits on the console lock and one write syscall per log line. Nothing is dropped: with
/// <see cref="Capacity"/> events waiting, <see cref="Emit"/> waits for room. <see cref="Dispose"/> writes and
/// flushes everything queued before it returns.
/// </summary>
internal sealed class BackgroundTextSink : ILogEventSink, IDisposable
{
    internal const int Capacity = 65536;

    private readonly Channel<LogEvent> _queue = Channel.CreateBounded<LogEvent>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly ITextFormatter _formatter;
    private readonly TextWriter _output;
    private readonly Thread _writer;

    /// <summary>Writes to <paramref name="output"/>, which stays open (the caller owns it).</summary>
    public BackgroundTextSink(ITextFormatter formatter, Stream output)
    {
        _formatter = formatter;
        _output = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024, leaveOpen: true);
        _writer = new Thread(WriteQueued) { IsBackground = true, Name = "log writer" };
        _writer.Start();
    }

    public void Emit(LogEvent logEvent)
    {
        if (_queue.Writer.TryWrite(logEvent))
        {
            return;
        }

        try
        {
            // The queue is full (the output cannot keep up): wait for room rather than lose the line.
            _queue.Writer.WriteAsync(logEvent).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException)
        {
            // Disposed: the logger is shutting down and the event has nowhere to go.
        }
    }

    private void WriteQueued()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var logEvent))
            {
                try
                {
                    _formatter.Format(logEvent, _output);
                }
                catch (Exception ex) when (ex is FormatException or IOException or ArgumentException or InvalidOperationException)
                {
                    SelfLog.WriteLine("log writer: could not write an event: {0}", ex);
                }
            }

            Flush();
        }
    }

    private void Flush()
    {
        try
        {
            _output.Flush();
        }
        catch (IOException ex)
        {
            SelfLog.WriteLine("log writer: could not flush: {0}", ex);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
        _output.Dispose();
    }
}
