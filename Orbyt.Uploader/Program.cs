using Orbyt.Uploader;

var builder = WebApplication.CreateBuilder(args);
builder.AddUploader();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
