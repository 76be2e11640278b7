namespace OpenList.DriverHost.Drivers.Tests.TestSupport;

/// <summary>A TimeProvider whose time moves only when a test says so; timers (Task.Delay) fire on <see cref="Advance"/>.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>When the earliest pending timer (a Task.Delay, a timeout) fires; null when none is pending.</summary>
    public DateTimeOffset? NextDueAt
    {
        get
        {
            lock (_gate)
            {
                return _timers.Select(t => t.DueAt).Where(d => d is not null).Min();
            }
        }
    }

    /// <summary>
    /// Waits for <paramref name="task"/>, moving the time to each pending timer due within <paramref name="maxStep"/>
    /// (back-offs and Retry-After waits) but never to longer ones (per-attempt timeouts), so retries run at once.
    /// </summary>
    public async Task RunAsync(Task task, TimeSpan maxStep)
    {
        while (!task.IsCompleted)
        {
            if (NextDueAt is { } due && due - GetUtcNow() <= maxStep)
            {
                var step = due - GetUtcNow();
                Advance(step > TimeSpan.Zero ? step : TimeSpan.Zero);
            }

            await Task.WhenAny(task, Task.Delay(5));
        }

        await task;
    }

    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt is { } at && at <= _now).ToList();
        }

        foreach (var timer in due)
        {
            timer.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class ManualTimer : ITimer
    {
        private readonly ManualClock _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private TimeSpan _period;

        public ManualTimer(ManualClock clock, TimerCallback callback, object? state)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
        }

        public DateTimeOffset? DueAt { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_clock._gate)
            {
                _period = period;
                DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : _clock._now + dueTime;
                if (!_clock._timers.Contains(this))
                {
                    _clock._timers.Add(this);
                }
            }

            if (dueTime == TimeSpan.Zero)
            {
                Fire();
            }

            return true;
        }

        public void Fire()
        {
            lock (_clock._gate)
            {
                DueAt = _period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan ? _clock._now + _period : null;
            }

            _callback(_state);
        }

        public void Dispose()
        {
            lock (_clock._gate)
            {
                _clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
