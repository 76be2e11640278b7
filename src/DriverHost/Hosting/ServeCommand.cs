namespace OpenList.DriverHost.Hosting;

/// <summary>Runs the server until the process is told to stop. Returns the process exit code.</summary>
public static class ServeCommand
{
    public static Task<int> RunAsync(ServeArguments arguments, CancellationToken cancellationToken)
    {
        // Wired up by the hosting work in progress (issue 2); replaced before this lands.
        throw new NotSupportedException("serve is not wired yet");
    }
}
