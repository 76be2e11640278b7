namespace OpenList.DriverHost.Caching;

/// <summary>
/// Runs at most one load per key at a time: callers asking for a key that is already loading wait for that load and
/// share its result or its error (OpenList's singleflight, <c>specs/openlist-compat.md</c> §4.4). Nothing is kept
/// once a load ends, so an error is never cached.
/// </summary>
/// <remarks>
/// The load runs on a token of its own, not the first caller's: a caller that gives up only stops waiting, and the
/// others still get the result. The load is cancelled when every caller has left, because nobody would read it.
/// </remarks>
public sealed class SingleFlight<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, Flight> _flights;
    private readonly Lock _gate = new();

    public SingleFlight(IEqualityComparer<TKey>? comparer = null) => _flights = new Dictionary<TKey, Flight>(comparer);

    /// <summary>How many loads are running.</summary>
    public int Running
    {
        get
        {
            lock (_gate)
            {
                return _flights.Count;
            }
        }
    }

    /// <summary>
    /// The result of <paramref name="load"/> for <paramref name="key"/>, started now or joined when already running.
    /// <paramref name="cancellationToken"/> only ends this caller's wait.
    /// </summary>
    public async Task<TValue> RunAsync(TKey key, Func<CancellationToken, Task<TValue>> load, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flight? flight;
        bool start;
        lock (_gate)
        {
            start = !_flights.TryGetValue(key, out flight);
            if (flight is null)
            {
                flight = new Flight();
                _flights.Add(key, flight);
            }

            flight.Waiters++;
        }

        if (start)
        {
            _ = RunLoadAsync(key, flight, load);
        }

        try
        {
            return await flight.Result.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Leave(key, flight);
        }
    }

    private async Task RunLoadAsync(TKey key, Flight flight, Func<CancellationToken, Task<TValue>> load)
    {
        TValue value;
        try
        {
            value = await load(flight.Cancellation.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Nobody is left to observe an abandoned load's error; the waiters of a live one get it as it is.
            Finish(key, flight, abandoned => _ = abandoned ? flight.Result.TrySetCanceled() : flight.Result.TrySetException(ex));
            return;
        }

        Finish(key, flight, _ => flight.Result.TrySetResult(value));
    }

    /// <summary>Forgets the flight before publishing its outcome, so a caller arriving later starts a fresh load.</summary>
    private void Finish(TKey key, Flight flight, Action<bool> publish)
    {
        bool abandoned;
        lock (_gate)
        {
            flight.Done = true;
            abandoned = flight.Abandoned;
            if (!abandoned)
            {
                _flights.Remove(key);
            }
        }

        publish(abandoned);

        // An abandoned flight's source is being cancelled by the last caller that left; disposing it here could race
        // that call. A cancelled source without a timer holds nothing that needs disposing.
        if (!abandoned)
        {
            flight.Cancellation.Dispose();
        }
    }

    private void Leave(TKey key, Flight flight)
    {
        bool cancel;
        lock (_gate)
        {
            flight.Waiters--;
            cancel = flight.Waiters == 0 && !flight.Done;
            if (cancel)
            {
                flight.Abandoned = true;
                _flights.Remove(key);
            }
        }

        if (cancel)
        {
            // Outside the lock: cancellation callbacks run inline and may finish the load on this thread.
            flight.Cancellation.Cancel();
        }
    }

    private sealed class Flight
    {
        // Continuations run on the pool, so no waiter resumes inside the load or inside another waiter's lock.
        public TaskCompletionSource<TValue> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenSource Cancellation { get; } = new();

        /// <summary>Callers waiting; guarded by the owner's lock.</summary>
        public int Waiters { get; set; }

        /// <summary>The load has ended; guarded by the owner's lock.</summary>
        public bool Done { get; set; }

        /// <summary>Every caller left before the load ended; guarded by the owner's lock.</summary>
        public bool Abandoned { get; set; }
    }
}
