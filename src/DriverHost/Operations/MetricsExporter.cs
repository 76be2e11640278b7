using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using OpenList.DriverHost.Drivers.Diagnostics;

namespace OpenList.DriverHost.Operations;

/// <summary>
/// Sums every measurement of the <see cref="DriverHostMetrics"/> meter from the moment it is created and writes
/// them in the Prometheus text exposition format (version 0.0.4). Counters become <c>counter</c>, up-down counters
/// <c>gauge</c>. No packages: a <see cref="MeterListener"/> and a dictionary.
/// </summary>
public sealed class MetricsExporter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, ConcurrentDictionary<string, StrongBox>> _series = new();

    public MetricsExporter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DriverHostMetrics.MeterName)
            {
                _series.TryAdd(instrument, new ConcurrentDictionary<string, StrongBox>(StringComparer.Ordinal));
                listener.EnableMeasurementEvents(instrument, this);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (instrument, value, tags, state) => ((MetricsExporter)state!).Add(instrument, value, tags));
        _listener.Start();
    }

    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The current value of one series (tags in any order); 0 when never measured.</summary>
    public long Value(string name, params (string Key, string Value)[] tags)
    {
        var instrument = _series.Keys.FirstOrDefault(i => i.Name == name);
        if (instrument is null)
        {
            return 0;
        }

        var key = Labels(tags.Select(t => new KeyValuePair<string, object?>(t.Key, t.Value)));
        return _series[instrument].TryGetValue(key, out var box) ? Interlocked.Read(ref box.Value) : 0;
    }

    /// <summary>The sum over every series of <paramref name="name"/> whose labels include <paramref name="tags"/>.</summary>
    public long Sum(string name, params (string Key, string Value)[] tags)
    {
        var instrument = _series.Keys.FirstOrDefault(i => i.Name == name);
        if (instrument is null)
        {
            return 0;
        }

        var wanted = tags.Select(t => Label(t.Key, t.Value)).ToArray();
        return _series[instrument].Where(s => wanted.All(w => s.Key.Contains(w, StringComparison.Ordinal))).Sum(s => Interlocked.Read(ref s.Value.Value));
    }

    public string Render()
    {
        var text = new StringBuilder();
        foreach (var (instrument, series) in _series.OrderBy(s => s.Key.Name, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(instrument.Name).Append(' ').Append(instrument.Description).Append('\n');
            text.Append("# TYPE ").Append(instrument.Name).Append(instrument is UpDownCounter<long> ? " gauge\n" : " counter\n");
            if (series.IsEmpty && instrument is not UpDownCounter<long>)
            {
                continue;
            }

            if (series.IsEmpty)
            {
                text.Append(instrument.Name).Append(" 0\n");
            }

            foreach (var (labels, box) in series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                text.Append(instrument.Name);
                if (labels.Length > 0)
                {
                    text.Append('{').Append(labels).Append('}');
                }

                text.Append(' ').Append(Interlocked.Read(ref box.Value).ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!_series.TryGetValue(instrument, out var series))
        {
            return;
        }

        var box = series.GetOrAdd(Labels(tags.ToArray()), static _ => new StrongBox());
        Interlocked.Add(ref box.Value, value);
    }

    private static string Labels(IEnumerable<KeyValuePair<string, object?>> tags) =>
        string.Join(',', tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => Label(t.Key, Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? string.Empty)));

    private static string Label(string key, string value) =>
        key + "=\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";

    private sealed class StrongBox
    {
        public long Value;
    }
}
