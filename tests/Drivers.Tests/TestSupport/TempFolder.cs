namespace OpenList.DriverHost.Drivers.Tests.TestSupport;

/// <summary>A fresh temporary folder (not yet created) for spool files, removed with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Join(System.IO.Path.GetTempPath(), "driver-tests-" + Guid.NewGuid().ToString("N"));

    /// <summary>Files left in the folder (none once every spool is disposed).</summary>
    public string[] Files() => Directory.Exists(Path) ? Directory.GetFiles(Path) : [];

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
