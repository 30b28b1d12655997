from django.contrib import admin

from schools.models import CalendarEntry, District, HolidayYear, School, SchoolClass, Term, Venue


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district"]
    list_filter = ["district"]
    search_fields = ["name", "code"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "start", "end"]
    list_filter = ["school"]


@admin.register(CalendarEntry)
class CalendarEntryAdmin(admin.ModelAdmin):
    list_display = ["date", "school", "kind", "follows_weekday", "note"]
    list_filter = ["school", "kind"]
    date_hierarchy = "date"


@admin.register(HolidayYear)
class HolidayYearAdmin(admin.ModelAdmin):
    list_display = ["year", "school", "source"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "kind", "capacity"]
    list_filter = ["school", "kind"]
    search_fields = ["name"]


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["__str__", "school", "grade", "number", "head_teacher", "home_room"]
    list_filter = ["school", "grade"]
    raw_id_fields = ["head_teacher", "home_room"]
