using OpenList.DriverHost.Config;

namespace OpenList.DriverHost.State;

/// <summary>Opens the store named by <c>server.state</c>.</summary>
public static class StateStoreFactory
{
    public const string PostgresNotAvailable = "PostgreSQL state store is not available yet; use sqlite:<path>";

    /// <summary>
    /// Opens <paramref name="state"/> (<c>sqlite:&lt;path&gt;</c>; a relative path resolves against
    /// <paramref name="configDirectory"/>), creating the file and its schema when missing.
    /// </summary>
    /// <exception cref="ArgumentException">The text is neither <c>sqlite:</c> nor <c>postgres://</c>.</exception>
    /// <exception cref="NotSupportedException">A <c>postgres://</c> URL: <see cref="PostgresNotAvailable"/>.</exception>
    /// <exception cref="StateStoreException">The database cannot be opened or is from a newer version.</exception>
    public static IStateStore Open(string state, string configDirectory)
    {
        if (!StateLocation.TryParse(state, configDirectory, out var location, out var error))
        {
            throw new ArgumentException($"server.state: {error}; use sqlite:<path>", nameof(state));
        }

        return location.Kind switch
        {
            StateKind.Sqlite => SqliteStateStore.Open(location.Target),
            _ => throw new NotSupportedException(PostgresNotAvailable),
        };
    }
}

/// <summary>The state store cannot be used; the message says why and what to do.</summary>
public sealed class StateStoreException : Exception
{
    public StateStoreException()
    {
    }

    public StateStoreException(string message)
        : base(message)
    {
    }

    public StateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
