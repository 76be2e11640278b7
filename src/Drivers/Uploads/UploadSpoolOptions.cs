namespace OpenList.DriverHost.Drivers.Uploads;

/// <summary>Where a driver stages an upload, and what it says when the temporary folder is short of space.</summary>
/// <param name="TempDirectory">The folder for the spool file (<c>server.temp_dir</c>); created when missing.</param>
/// <param name="FilePrefix">Names the spool file <c>&lt;prefix&gt;-upload-&lt;guid&gt;.tmp</c>, so a leftover shows whose it was.</param>
internal sealed record UploadSpoolOptions(string TempDirectory, string FilePrefix)
{
    /// <summary>
    /// Why the provider needs the whole file staged, said in the out-of-space messages ("115 hashes the whole file
    /// first"); those then also say how much was free. Null keeps the shorter message.
    /// </summary>
    public string? WhyStaged { get; init; }

    /// <summary>
    /// For a body of unknown length: refused once the folder has less than this left, checked before the first byte
    /// and again after every such amount. Null: no check, a full folder then fails the write (still QuotaExceeded).
    /// </summary>
    public long? UnknownLengthReserve { get; init; }

    /// <summary>Free bytes where a folder lives (null when unknown); tests replace it.</summary>
    public Func<string, long?> AvailableSpace { get; init; } = TempSpace.Available;
}
