from django.urls import path

from finance import views, views_account, views_public

app_name = "finance"
urlpatterns = [
    path("", views.desk_page, name="desk"),
    path("statement-template.xlsx", views.statement_template, name="statement_template"),
    path("payments/import/", views.import_payments, name="import_payments"),
    path("payments/<int:row_id>/assign/", views.assign_payment, name="assign_payment"),
    path("run/", views.run_term, name="run_term"),
    path("meals/", views.meals, name="meals"),
    path("settlement/", views.settlement, name="settlement"),
    path("expense/", views.expense, name="expense"),
    path("entries/<int:entry_id>/reverse/", views.reverse_view, name="reverse"),
    path("children/<int:student_id>/", views_account.child_statement, name="child_statement"),
    path("mine/", views_account.my_accounts, name="my_accounts"),
    path("public/<str:school_code>/<int:term_id>/", views_public.public_accounts, name="public"),
    path("public/<str:school_code>/<int:term_id>/pdf/", views_public.public_accounts_pdf, name="public_pdf"),
    path("public/<str:school_code>/<int:term_id>/xlsx/", views_public.public_accounts_xlsx, name="public_xlsx"),
]
